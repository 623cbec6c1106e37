/**
 * Live progress of deployments as the message set hosts' frontends already consume ({@code deployment_started},
 * {@code stage_started}, {@code stage_progress}, {@code stage_completed}, {@code deployment_completed}), encoded by a
 * framework-free {@link io.deploytrack.live.LiveCodec}, replayed from the event log on subscribe, served over WebSocket
 * and Server-Sent Events by {@link io.deploytrack.live.LiveServer} or a host's own framework.
 */
package io.deploytrack.live;
