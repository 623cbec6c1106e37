/**
 * {@code k8s.detect}: how soon a finished Kubernetes rollout is detected, on fabric8's CRUD mock server.
 */
package io.deploytrack.benchmarks.k8s;
