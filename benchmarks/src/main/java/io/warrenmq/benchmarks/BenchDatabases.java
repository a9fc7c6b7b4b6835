package io.warrenmq.benchmarks;

import io.warrenmq.client.Passwords;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL side of {@code benchmarks/run.sh -p store=postgres}: {@code check} fails fast
 * (exit status 1, with the reason) when the server of {@code warren.bench.pgServer} cannot be
 * reached or the user cannot create databases; {@code drop-leftovers} drops every {@code
 * warren_bench_*} database still there (a trial's {@link BrokerUnderTest#close()} drops its own;
 * this catches those of a trial that was killed). Properties as in {@link BrokerUnderTest}. Run one
 * benchmark at a time per PostgreSQL server: {@code drop-leftovers} drops any run's databases.
 */
public final class BenchDatabases {
  private BenchDatabases() {}

  /**
   * @param args {@code check} or {@code drop-leftovers}
   */
  public static void main(String[] args) {
    String server = Passwords.mask(BrokerUnderTest.pgServer());
    try (Connection c =
            DriverManager.getConnection(
                BrokerUnderTest.pgServer() + "postgres",
                BrokerUnderTest.pgUser(),
                BrokerUnderTest.pgPassword());
        Statement s = c.createStatement()) {
      if (args.length == 1 && args[0].equals("check")) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT rolcreatedb OR rolsuper, version() FROM pg_roles WHERE rolname ="
                    + " current_user")) {
          if (!rs.next() || !rs.getBoolean(1)) {
            System.err.println(
                "PostgreSQL at "
                    + server
                    + ": user "
                    + BrokerUnderTest.pgUser()
                    + " may not create databases (CREATEDB), which store=postgres needs");
            System.exit(1);
          }
          System.out.println("PostgreSQL at " + server + ": " + rs.getString(2));
        }
      } else if (args.length == 1 && args[0].equals("drop-leftovers")) {
        List<String> names = new ArrayList<>();
        try (ResultSet rs =
            s.executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE 'warren\\_bench\\_%'")) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
        for (String name : names) {
          s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
          System.out.println("dropped leftover database " + name);
        }
      } else {
        System.err.println("usage: BenchDatabases check|drop-leftovers");
        System.exit(2);
      }
    } catch (SQLException e) {
      System.err.println(
          "PostgreSQL at "
              + server
              + " (warren.bench.pgServer, warren.bench.pgUser): "
              + Passwords.mask(e.toString()));
      System.exit(1);
    }
  }
}
