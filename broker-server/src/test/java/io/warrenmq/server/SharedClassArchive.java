package io.warrenmq.server;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The options that start a server JVM on this test JVM's class path from a dynamic class-data
 * sharing archive (JDK 13+, JEP 350), so that the tests that start many servers (a kill test, an HA
 * pair restarted twenty times) do not load, parse and verify Hibernate's, H2's and Netty's classes
 * again in every JVM: measured on a 2-core machine, a server listened 3.0-3.4 s after its JVM
 * started without the archive and 2.0-2.1 s with it.
 *
 * <p>The archive is made once per state of the module's classes (see {@link #fingerprint}), under
 * {@code target/cds/}: the class path's directories (a module's {@code target/classes} and {@code
 * target/test-classes}; the JDK archives only classes from jar files) are copied into jars, then a
 * {@link TestServerMain} with an H2 store starts on them with {@code -XX:ArchiveClassesAtExit} and
 * is stopped cleanly, which writes the archive. Test JVMs side by side (Surefire's forks) take a
 * file lock, so one makes it and the others reuse it. If anything fails the options are the plain
 * class path: a slower start, never a failed test. The JDK checks the jars' sizes and times against
 * the archive at every start and ignores an archive that does not match. Its warnings go to the
 * server's standard error (its log), never to standard output, which {@link ServerProcess} reads.
 *
 * <p>Thread-safety: thread-safe; the first call makes the archive, the others wait for it.
 */
final class SharedClassArchive {
  private static final Path DIR = Path.of("target", "cds").toAbsolutePath();
  private static final long DUMP_TIMEOUT_MS = 120_000;

  private static List<String> options;

  private SharedClassArchive() {}

  /**
   * The JVM options that set the class path of a server JVM started from this JVM's class path:
   * {@code -XX:SharedArchiveFile=... -Xlog... -cp <jars>} when the archive exists or could be made,
   * else {@code -cp <java.class.path>}.
   */
  static synchronized List<String> classPathOptions() {
    if (options == null) {
      options = make();
    }
    return options;
  }

  private static List<String> make() {
    String classPath = System.getProperty("java.class.path");
    List<String> plain = List.of("-cp", classPath);
    try {
      Files.createDirectories(DIR);
      try (FileChannel lockFile =
              FileChannel.open(
                  DIR.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = lockFile.lock()) {
        Path archive = DIR.resolve("server.jsa");
        Path key = DIR.resolve("classpath.txt");
        String current = fingerprint(classPath);
        String jarPath = jarred(classPath, false);
        if (!(Files.exists(archive)
            && Files.exists(key)
            && Files.readString(key).equals(current))) {
          Files.deleteIfExists(key);
          Files.deleteIfExists(archive);
          jarred(classPath, true);
          if (!dump(jarPath, archive)) {
            return plain;
          }
          Files.writeString(key, current);
        }
        return List.of(
            "-XX:SharedArchiveFile=" + archive,
            // CDS's warnings (a changed jar) to the log, not to stdout (ServerProcess reads it)
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-cp",
            jarPath);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "SharedClassArchive: no class-data sharing archive, servers start slower: " + e);
      return plain;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return plain;
    }
  }

  /**
   * The class path and, for each of its directories, the number, total size and latest modification
   * time of its files: a build that recompiled a class (a second {@code mvn verify} without {@code
   * clean}) makes new jars and a new archive instead of starting servers on the classes of the last
   * one.
   */
  private static String fingerprint(String classPath) throws IOException {
    StringBuilder out = new StringBuilder(classPath);
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (!Files.isDirectory(p)) {
        continue;
      }
      long files = 0;
      long bytes = 0;
      long latest = 0;
      try (Stream<Path> walk = Files.walk(p)) {
        for (Path f : walk.filter(Files::isRegularFile).toList()) {
          files++;
          bytes += Files.size(f);
          latest = Math.max(latest, Files.getLastModifiedTime(f).toMillis());
        }
      }
      out.append('\n').append(entry).append(' ').append(files).append(' ').append(bytes);
      out.append(' ').append(latest);
    }
    return out.toString();
  }

  /**
   * The class path with each directory replaced by a jar of its content ({@code dir-<n>.jar}, by
   * position), the jars written only if {@code write}.
   */
  private static String jarred(String classPath, boolean write) throws IOException {
    List<String> out = new ArrayList<>();
    int n = 0;
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) {
        Path jar = DIR.resolve("dir-" + n++ + ".jar");
        if (write) {
          writeJar(p, jar);
        }
        out.add(jar.toString());
      } else if (Files.exists(p)) {
        out.add(entry);
      }
    }
    return String.join(java.io.File.pathSeparator, out);
  }

  private static void writeJar(Path dir, Path jar) throws IOException {
    Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
    try (OutputStream file = Files.newOutputStream(tmp);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
        String name = dir.relativize(f).toString().replace('\\', '/');
        if (name.isEmpty()) {
          continue;
        }
        if (Files.isDirectory(f)) {
          out.putNextEntry(new JarEntry(name + "/"));
        } else {
          out.putNextEntry(new JarEntry(name));
          Files.copy(f, out);
        }
        out.closeEntry();
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Starts a server with an H2 store on {@code jarPath}, stops it cleanly once it listens, and
   * returns whether it wrote {@code archive}.
   */
  private static boolean dump(String jarPath, Path archive)
      throws IOException, InterruptedException {
    Path work = Files.createTempDirectory(DIR, "dump-");
    Path portFile = work.resolve("port");
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:ArchiveClassesAtExit=" + archive,
            "-Xlog:disable",
            "-Xlog:all=error:stderr",
            "-cp",
            jarPath,
            TestServerMain.class.getName(),
            portFile.toString(),
            work.resolve("data").toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(DIR.resolve("dump.log").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DUMP_TIMEOUT_MS);
    try {
      while (!Files.exists(portFile) && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      p.getOutputStream().close(); // TestServerMain stops cleanly at the end of its input
      if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return false;
      }
      return p.exitValue() == 0 && Files.exists(archive);
    } finally {
      p.destroyForcibly();
      deleteTree(work);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
