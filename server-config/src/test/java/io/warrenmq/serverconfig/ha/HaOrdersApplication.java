package io.warrenmq.serverconfig.ha;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts {@link HaOrdersResource} under {@code /ha-orders/api}. */
@ApplicationPath("/api")
public class HaOrdersApplication extends Application {}
