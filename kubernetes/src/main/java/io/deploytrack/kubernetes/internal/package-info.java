/** Implementation details of the kubernetes module; not an API, may change without notice. */
package io.deploytrack.kubernetes.internal;
