package io.warrenmq.serverconfig.defaults;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts {@link DefaultJmsResource} under {@code /default-jms/api}. */
@ApplicationPath("/api")
public class DefaultJmsApplication extends Application {}
