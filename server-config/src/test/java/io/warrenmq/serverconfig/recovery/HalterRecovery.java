package io.warrenmq.serverconfig.recovery;

import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import javax.transaction.xa.XAResource;

/**
 * Registers the {@link Halter}'s recovery with WildFly's transaction recovery (Narayana's {@link
 * XARecoveryModule}, module {@code org.jboss.jts}, a dependency in the WAR's manifest) while the
 * deployment is up, so that a recovery scan after the restart finds the halter's prepared branch
 * and Narayana can complete the whole transaction and delete its log. WarrenMQ and the datasource
 * need nothing of the kind: WildFly registers their recovery from the connection definition and the
 * XA datasource.
 */
@Singleton
@Startup
public class HalterRecovery {
  private final XAResourceRecoveryHelper helper =
      new XAResourceRecoveryHelper() {
        @Override
        public boolean initialise(String properties) {
          return true;
        }

        @Override
        public XAResource[] getXAResources() {
          return new XAResource[] {new Halter(Halter.OnCommit.COMPLETE)};
        }
      };

  @PostConstruct
  void register() {
    module().addXAResourceRecoveryHelper(helper);
  }

  @PreDestroy
  void unregister() {
    module().removeXAResourceRecoveryHelper(helper);
  }

  private static XARecoveryModule module() {
    XARecoveryModule module = XARecoveryModule.getRegisteredXARecoveryModule();
    if (module == null) {
      throw new IllegalStateException(
          "WildFly's transaction recovery (XARecoveryModule) is not up");
    }
    return module;
  }
}
