package io.warrenmq.store.jdbc.internal;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.engine.StoredBinding;
import io.warrenmq.engine.UserInfo;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;

/**
 * The durable topology through Hibernate ORM: virtual hosts, users, permissions, exchanges, queues
 * and bindings as entities. The schema is the store's own ({@link Schema}); Hibernate only
 * validates nothing and creates nothing ({@code hbm2ddl} is off).
 *
 * <p>Concurrency: the session factory is thread-safe; each unit of work opens its own session. In
 * practice only the store's writer thread (and recovery, before it starts) calls it.
 */
public final class Topology implements AutoCloseable {
  private final SessionFactory sessions;
  private volatile EpochFence fence; // null without HA

  public Topology(DataSource dataSource) {
    Configuration cfg =
        new Configuration()
            .addAnnotatedClass(ExchangeEntity.class)
            .addAnnotatedClass(QueueEntity.class)
            .addAnnotatedClass(BindingEntity.class)
            .addAnnotatedClass(VirtualHostEntity.class)
            .addAnnotatedClass(UserEntity.class)
            .addAnnotatedClass(PermissionEntity.class);
    cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource);
    cfg.setProperty(AvailableSettings.HBM2DDL_AUTO, "none");
    cfg.setProperty(AvailableSettings.SHOW_SQL, "false");
    cfg.setProperty(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
    // the store commits its own local transactions: never join (or look up) an application
    // server's or Narayana's JTA transaction manager, even when one is on the class path
    cfg.setProperty(
        AvailableSettings.JTA_PLATFORM,
        "org.hibernate.engine.transaction.jta.platform.internal.NoJtaPlatform");
    cfg.setProperty(AvailableSettings.TRANSACTION_COORDINATOR_STRATEGY, "jdbc");
    this.sessions = cfg.buildSessionFactory();
  }

  /**
   * The HA fencing checked first in each topology transaction from now on, or null; set before the
   * writer starts.
   */
  public void fenceWith(EpochFence fence) {
    this.fence = fence;
  }

  /** One topology change, applied in a session inside the writer's topology transaction. */
  @FunctionalInterface
  public interface Change {
    void apply(Session s);
  }

  /** Runs changes in one transaction; on failure rolls back and rethrows. */
  public void inTransaction(List<Change> changes) {
    try (Session s = sessions.openSession()) {
      s.beginTransaction();
      try {
        if (fence != null) {
          s.doWork(fence::check);
        }
        for (Change c : changes) {
          c.apply(s);
          s.flush();
        }
        s.getTransaction().commit();
      } catch (RuntimeException e) {
        if (s.getTransaction().isActive()) {
          s.getTransaction().rollback();
        }
        throw e;
      }
    }
  }

  public static Change storeVirtualHost(String vhost) {
    return s -> {
      s.createMutationQuery("delete from VirtualHostEntity where name = :n")
          .setParameter("n", vhost)
          .executeUpdate();
      s.persist(new VirtualHostEntity(vhost));
    };
  }

  /** Forgets a virtual host with its permissions, exchanges, queues and bindings. */
  public static Change deleteVirtualHost(String vhost) {
    return s -> {
      for (String entity :
          List.of("PermissionEntity", "BindingEntity", "ExchangeEntity", "QueueEntity")) {
        s.createMutationQuery("delete from " + entity + " where vhost = :v")
            .setParameter("v", vhost)
            .executeUpdate();
      }
      s.createMutationQuery("delete from VirtualHostEntity where name = :n")
          .setParameter("n", vhost)
          .executeUpdate();
    };
  }

  /** Replaces the user row of that name; its permissions stay. */
  public static Change storeUser(UserInfo user) {
    return s -> {
      s.createMutationQuery("delete from UserEntity where name = :n")
          .setParameter("n", user.name())
          .executeUpdate();
      s.persist(
          new UserEntity(
              user.name(),
              user.passwordHash(),
              user.hashingAlgorithm(),
              String.join(",", user.tags())));
    };
  }

  /** Forgets a user and its permissions. */
  public static Change deleteUser(String user) {
    return s -> {
      s.createMutationQuery("delete from PermissionEntity where user = :u")
          .setParameter("u", user)
          .executeUpdate();
      s.createMutationQuery("delete from UserEntity where name = :n")
          .setParameter("n", user)
          .executeUpdate();
    };
  }

  public static Change storePermission(PermissionInfo p) {
    return s -> {
      deletePermission(p.user(), p.virtualHost()).apply(s);
      s.persist(
          new PermissionEntity(p.user(), p.virtualHost(), p.configure(), p.write(), p.read()));
    };
  }

  public static Change deletePermission(String user, String vhost) {
    return s ->
        s.createMutationQuery("delete from PermissionEntity where user = :u and vhost = :v")
            .setParameter("u", user)
            .setParameter("v", vhost)
            .executeUpdate();
  }

  public static Change storeExchange(String vhost, ExchangeSpec spec) {
    return s -> {
      deleteExchange(vhost, spec.name()).apply(s);
      s.persist(
          new ExchangeEntity(
              vhost,
              spec.name(),
              spec.type(),
              spec.autoDelete(),
              spec.internal(),
              Codec.encode(spec.arguments())));
    };
  }

  public static Change deleteExchange(String vhost, String name) {
    return s ->
        s.createMutationQuery("delete from ExchangeEntity where vhost = :v and name = :n")
            .setParameter("v", vhost)
            .setParameter("n", name)
            .executeUpdate();
  }

  /**
   * Stores a queue; one already stored under that name is updated in place, keeping its id (the key
   * of its messages).
   */
  public static Change storeQueue(String vhost, QueueSpec spec) {
    return s -> {
      List<QueueEntity> rows =
          s.createSelectionQuery(
                  "from QueueEntity where vhost = :v and name = :n", QueueEntity.class)
              .setParameter("v", vhost)
              .setParameter("n", spec.name())
              .getResultList();
      if (rows.isEmpty()) {
        s.persist(
            new QueueEntity(vhost, spec.name(), spec.autoDelete(), Codec.encode(spec.arguments())));
      } else {
        rows.get(0).update(spec.autoDelete(), Codec.encode(spec.arguments()));
      }
    };
  }

  public static Change deleteQueue(String vhost, String name) {
    return s ->
        s.createMutationQuery("delete from QueueEntity where vhost = :v and name = :n")
            .setParameter("v", vhost)
            .setParameter("n", name)
            .executeUpdate();
  }

  public static Change storeBinding(StoredBinding b) {
    return s -> {
      deleteBinding(b).apply(s);
      s.persist(
          new BindingEntity(
              b.virtualHost(),
              b.source(),
              b.destination(),
              b.toExchange(),
              b.bindingKey(),
              Codec.encode(b.arguments())));
    };
  }

  /** Deletes the rows equal to {@code b} (arguments compared decoded, so order does not count). */
  public static Change deleteBinding(StoredBinding b) {
    return s -> {
      List<BindingEntity> rows =
          s.createSelectionQuery(
                  "from BindingEntity where vhost = :v and source = :s and destination = :d"
                      + " and toExchange = :e and bindingKey = :k",
                  BindingEntity.class)
              .setParameter("v", b.virtualHost())
              .setParameter("s", b.source())
              .setParameter("d", b.destination())
              .setParameter("e", b.toExchange())
              .setParameter("k", b.bindingKey())
              .getResultList();
      for (BindingEntity row : rows) {
        if (Codec.decodeArguments(row.arguments).equals(b.arguments())) {
          s.remove(row);
        }
      }
    };
  }

  /** Replays virtual hosts, users, permissions, then exchanges, queues and bindings. */
  public void recover(MessageStore.RecoveryHandler handler) {
    try (Session s = sessions.openSession()) {
      for (VirtualHostEntity v :
          s.createSelectionQuery("from VirtualHostEntity order by id", VirtualHostEntity.class)
              .getResultList()) {
        handler.virtualHost(v.name);
      }
      for (UserEntity u :
          s.createSelectionQuery("from UserEntity order by id", UserEntity.class).getResultList()) {
        handler.user(
            new UserInfo(
                u.name,
                u.passwordHash,
                u.hashingAlgorithm,
                u.tags.isEmpty() ? List.of() : List.of(u.tags.split(","))));
      }
      for (PermissionEntity p :
          s.createSelectionQuery("from PermissionEntity order by id", PermissionEntity.class)
              .getResultList()) {
        handler.permission(new PermissionInfo(p.user, p.vhost, p.configure, p.write, p.read));
      }
      for (ExchangeEntity x :
          s.createSelectionQuery("from ExchangeEntity order by id", ExchangeEntity.class)
              .getResultList()) {
        handler.exchange(
            x.vhost,
            new ExchangeSpec(x.name, x.type, true, x.autoDelete, x.internal, args(x.arguments)));
      }
      for (QueueEntity q :
          s.createSelectionQuery("from QueueEntity order by id", QueueEntity.class)
              .getResultList()) {
        handler.queue(q.vhost, new QueueSpec(q.name, true, false, q.autoDelete, args(q.arguments)));
      }
      for (BindingEntity b :
          s.createSelectionQuery("from BindingEntity order by id", BindingEntity.class)
              .getResultList()) {
        handler.binding(
            new StoredBinding(
                b.vhost, b.source, b.destination, b.toExchange, b.bindingKey, args(b.arguments)));
      }
    }
  }

  private static Map<String, Object> args(byte[] data) {
    return Codec.decodeArguments(data);
  }

  @Override
  public void close() {
    sessions.close();
  }
}
