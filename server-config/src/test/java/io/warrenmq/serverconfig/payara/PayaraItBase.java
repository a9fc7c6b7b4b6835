package io.warrenmq.serverconfig.payara;

import java.util.HashSet;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every Payara IT class shares (see {@link PayaraDomain}): the start probe as its one managed
 * deployment, so that Arquillian's container starts the domain, then a wait for {@code warren-ra}
 * to have started before any test deploys what uses it; and the {@link Deployer} for the class's
 * own deployments, which are all {@code managed = false}.
 */
@ExtendWith(ArquillianExtension.class)
abstract class PayaraItBase {

  /** Deployments made by {@link #deployOnce}, as test class name and deployment name. */
  private static final Set<String> DEPLOYED = new HashSet<>();

  @ArquillianResource Deployer deployer;

  @Deployment(name = PayaraDomain.PROBE, order = 1, testable = false)
  static WebArchive startProbe() {
    return PayaraDomain.startProbe();
  }

  @BeforeAll
  static void awaitResourceAdapter() throws Exception {
    PayaraDomain.awaitResourceAdapterStarted();
  }

  /**
   * Deploys {@code name} the first time a test of this class asks; Arquillian undeploys it after
   * the class.
   */
  void deployOnce(String name) {
    if (DEPLOYED.add(getClass().getName() + "/" + name)) {
      deployer.deploy(name);
    }
  }
}
