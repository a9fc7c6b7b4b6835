package io.warrenmq.sample.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts the sample's JAX-RS resources under {@code /ear-sample/api}. */
@ApplicationPath("/api")
public class OrdersApplication extends Application {}
