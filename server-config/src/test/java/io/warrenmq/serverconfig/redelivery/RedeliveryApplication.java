package io.warrenmq.serverconfig.redelivery;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts {@link RedeliveryResource} under {@code /redelivery/api}. */
@ApplicationPath("/api")
public class RedeliveryApplication extends Application {}
