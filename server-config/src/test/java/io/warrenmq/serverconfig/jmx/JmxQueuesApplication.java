package io.warrenmq.serverconfig.jmx;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts {@link JmxQueuesResource} under {@code /jmx-queues/api}. */
@ApplicationPath("/api")
public class JmxQueuesApplication extends Application {}
