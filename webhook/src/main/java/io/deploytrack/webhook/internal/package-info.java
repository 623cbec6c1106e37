/** The webhook module's machinery: JSON parsing, payloads, signatures, replay memory. Not public API. */
package io.deploytrack.webhook.internal;
