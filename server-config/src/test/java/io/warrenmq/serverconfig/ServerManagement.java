package io.warrenmq.serverconfig;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.Operation;
import org.jboss.as.controller.client.OperationBuilder;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

/**
 * Management operations the tests run on the test server beside Arquillian's own deployments,
 * through a native management client of their own (Arquillian's {@code ManagementClient} is only
 * injectable while a deployment is deployed). Local authentication: the client runs as the same
 * user on the same machine as the server.
 */
final class ServerManagement implements AutoCloseable {

  private final ModelControllerClient client;

  private ServerManagement(ModelControllerClient client) {
    this.client = client;
  }

  /**
   * Connects to the test server's management interface: port {@code warren.it.management.port},
   * default 9990 + {@code warren.it.port.offset}.
   */
  static ServerManagement connect() throws IOException {
    int port =
        Integer.getInteger(
            "warren.it.management.port", 9990 + Integer.getInteger("warren.it.port.offset", 0));
    return new ServerManagement(ModelControllerClient.Factory.create("127.0.0.1", port));
  }

  /** Connects to the management interface of the server on 127.0.0.1:{@code port}. */
  static ServerManagement connect(int port) throws IOException {
    return new ServerManagement(ModelControllerClient.Factory.create("127.0.0.1", port));
  }

  @Override
  public void close() throws IOException {
    client.close();
  }

  /** Names of the server JVM's live threads that start with {@code prefix}. */
  List<String> liveThreadsStartingWith(String prefix) throws IOException {
    ModelNode address =
        Operations.createAddress("core-service", "platform-mbean", "type", "threading");
    ModelNode dump = Operations.createOperation("dump-all-threads", address);
    dump.get("locked-monitors").set(false);
    dump.get("locked-synchronizers").set(false);
    ModelNode result = client.execute(dump);
    if (!Operations.isSuccessfulOutcome(result)) {
      throw new IOException("dump-all-threads failed: " + Operations.getFailureDescription(result));
    }
    return Operations.readResult(result).asList().stream()
        .map(thread -> thread.get("thread-name").asString())
        .filter(name -> name.startsWith(prefix))
        .sorted()
        .toList();
  }

  /**
   * Deploys {@code archive}, expecting the deployment to fail, and returns the server's failure
   * description. If it unexpectedly deploys, removes it again and returns {@code null}.
   */
  String deployExpectingFailure(Archive<?> archive) throws IOException {
    ModelNode add = Operations.createAddOperation(deploymentAddress(archive.getName()));
    add.get("content").get(0).get("input-stream-index").set(0);
    add.get("enabled").set(true);
    ModelNode result;
    try (InputStream content = archive.as(ZipExporter.class).exportAsInputStream()) {
      Operation operation = OperationBuilder.create(add).addInputStream(content).build();
      result = client.execute(operation);
    }
    if (Operations.isSuccessfulOutcome(result)) {
      client.execute(Operations.createRemoveOperation(deploymentAddress(archive.getName())));
      return null;
    }
    return Operations.getFailureDescription(result).asString();
  }

  /**
   * Suspends the server, as a graceful shutdown does first: WildFly then deactivates every MDB it
   * still tracks, including ones whose activation failed earlier.
   */
  void suspend() throws IOException {
    ModelNode suspend = Operations.createOperation("suspend", new ModelNode().setEmptyList());
    suspend.get("suspend-timeout").set(10);
    check("suspend", client.execute(suspend));
  }

  /**
   * Resumes a suspended server. The outcome is not checked: WildFly also tries to re-activate MDBs
   * whose deployment failed earlier (they stay registered for suspend and resume), and reports
   * their failure as the operation's, while the server itself resumes.
   */
  void resume() throws IOException {
    client.execute(Operations.createOperation("resume", new ModelNode().setEmptyList()));
  }

  /**
   * Closes every physical connection of an XA datasource's pool (none is in use between the test's
   * requests), so that the next request reads through a new one.
   */
  void flushXaDataSourcePool(String name) throws IOException {
    ModelNode address =
        Operations.createAddress("subsystem", "datasources", "xa-data-source", name);
    check(
        "flush-all-connection-in-pool",
        client.execute(Operations.createOperation("flush-all-connection-in-pool", address)));
  }

  private static void check(String operation, ModelNode result) throws IOException {
    if (!Operations.isSuccessfulOutcome(result)) {
      throw new IOException(operation + " failed: " + Operations.getFailureDescription(result));
    }
  }

  private static ModelNode deploymentAddress(String name) {
    return Operations.createAddress("deployment", name);
  }
}
