package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.serverconfig.bad.MdbWithUnknownDestinationType;
import io.warrenmq.serverconfig.bad.MdbWithoutDestination;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A misconfigured MDB does not deploy, and the failure names the activation-spec property at fault.
 * The resource adapter is deployed for the whole class; each test deploys one EJB jar holding one
 * bad MDB, which uses the default resource adapter for MDBs (warren-ra.rar, set by warren-ra.cli).
 * The jar names avoid the property names so that a match can only come from the failure text.
 */
@ExtendWith(ArquillianExtension.class)
class ActivationSpecValidationIT {

  @Deployment(name = WarrenDeployments.RAR, testable = false)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anActivationSpecWithoutDestinationFailsDeploymentNamingDestination() throws Exception {
    JavaArchive ejbJar =
        ShrinkWrap.create(JavaArchive.class, "mdb-missing-property.jar")
            .addClass(MdbWithoutDestination.class);

    String failure;
    try (ServerManagement server = ServerManagement.connect()) {
      failure = server.deployExpectingFailure(ejbJar);
    }

    assertNotNull(failure, "the MDB without destination deployed");
    assertTrue(
        Pattern.compile("\\bdestination\\b").matcher(failure).find(),
        () -> "failure does not name destination: " + failure);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anActivationSpecWithAnUnknownDestinationTypeFailsDeploymentNamingDestinationType()
      throws Exception {
    JavaArchive ejbJar =
        ShrinkWrap.create(JavaArchive.class, "mdb-unknown-type.jar")
            .addClass(MdbWithUnknownDestinationType.class);

    String failure;
    try (ServerManagement server = ServerManagement.connect()) {
      failure = server.deployExpectingFailure(ejbJar);
    }

    assertNotNull(failure, "the MDB with destinationType jakarta.jms.Nope deployed");
    assertTrue(
        failure.contains("destinationType"),
        () -> "failure does not name destinationType: " + failure);
  }
}
