package io.warrenmq.store.jdbc;

import java.nio.file.Path;

/**
 * The child JVM of {@link DataDirInUseTest}: opens the store on {@code args[0]}, prints {@code
 * READY;}, holds it until its standard input ends, then closes it and prints {@code CLOSED;}.
 */
public final class DataDirHolderChild {

  private DataDirHolderChild() {}

  public static void main(String[] args) throws Exception {
    JdbcMessageStore store = JdbcMessageStore.open(JdbcStoreConfig.h2(Path.of(args[0])), "holder");
    System.out.println("READY;");
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the directory until the parent closes our input
    }
    store.close();
    System.out.println("CLOSED;");
    System.out.flush();
  }
}
