package io.warrenmq.serverconfig;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;

/**
 * The built archives the tests deploy and where the test server answers. The pom copies {@code
 * warren-ra.rar} and {@code ear-sample.ear} into the directory named by the system property {@code
 * warren.it.deployments}, and sets {@code warren.it.port.offset} to the WildFly IT server's port
 * offset. Public for the Payara ITs, which deploy the same archives.
 */
public final class WarrenDeployments {

  /** Deployment (and runtime) name of the resource adapter; warren-ra.cli configures this name. */
  public static final String RAR = "warren-ra.rar";

  /** Deployment name of the EAR sample. */
  public static final String EAR = "ear-sample.ear";

  private WarrenDeployments() {}

  /** The built {@code warren-ra.rar}. */
  public static ResourceAdapterArchive resourceAdapter() {
    return ShrinkWrap.create(ZipImporter.class, RAR)
        .importFrom(built(RAR))
        .as(ResourceAdapterArchive.class);
  }

  /** The built {@code ear-sample.ear} (context root {@code /ear-sample}). */
  public static EnterpriseArchive earSample() {
    return ShrinkWrap.create(ZipImporter.class, EAR)
        .importFrom(built(EAR))
        .as(EnterpriseArchive.class);
  }

  /** The EAR sample's JAX-RS root on the test server. */
  static URI sampleApi() {
    int offset = Integer.getInteger("warren.it.port.offset", 0);
    return URI.create("http://127.0.0.1:" + (8080 + offset) + "/ear-sample/api");
  }

  private static File built(String name) {
    Path file = Path.of(System.getProperty("warren.it.deployments", "target/deployments"), name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file.toAbsolutePath() + " is missing: build the ra and ear-sample modules first");
    }
    return file.toFile();
  }
}
