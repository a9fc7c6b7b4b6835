package io.warrenmq.serverconfig.remote;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts {@link RemoteOrdersResource} under {@code /remote-orders/api}. */
@ApplicationPath("/api")
public class RemoteOrdersApplication extends Application {}
