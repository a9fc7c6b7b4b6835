package io.warrenmq.serverconfig.xa;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts {@link XaOrdersResource} under {@code /xa-orders/api}. */
@ApplicationPath("/api")
public class XaOrdersApplication extends Application {}
