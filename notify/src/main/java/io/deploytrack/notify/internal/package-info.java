/** The delivery log's SQL, HTTP answer handling and JSON of deploytrack-notify. Not public API. */
package io.deploytrack.notify.internal;
