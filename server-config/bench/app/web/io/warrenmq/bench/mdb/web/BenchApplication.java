package io.warrenmq.bench.mdb.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The benchmark's JAX-RS root: {@code /mdb-bench/api/}. */
@ApplicationPath("api")
public class BenchApplication extends Application {}
