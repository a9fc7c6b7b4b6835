package io.warrenmq.serverconfig.recovery;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts {@link RecoveryResource} under {@code /recovery-orders/api}. */
@ApplicationPath("/api")
public class RecoveryApplication extends Application {}
