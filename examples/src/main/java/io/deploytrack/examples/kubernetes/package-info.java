/**
 * Updating a Kubernetes Deployment's image and tracking the rollout by kubectl's rules.
 */
package io.deploytrack.examples.kubernetes;
