package io.warrenmq.store.jdbc.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2 file system scheme {@value #SCHEME}: the default disk files, opened read-write through a
 * {@link WriteBarrierChannel}, which syncs what is written before H2 overwrites space it has freed.
 * The embedded store opens its database as {@code jdbc:h2:warrenbarrier:<dataDir>/warren} under
 * durability {@code POWER_LOSS} (docs/architecture.md, "The H2 file under power loss").
 *
 * <p>Why: H2's MVStore (2.3.232) frees a dead chunk once the chunk was created more than {@code
 * RETENTION_TIME} ago ({@code FileStore.isSeasonedChunk}), without waiting for the commit that
 * killed it to reach the disk, and may then write a new chunk into that space. A commit that is not
 * synced (the store does not sync batches that only settle, {@link GroupCommitWriter}) can free a
 * chunk that the last synced state still needs; a power loss before the next sync could leave the
 * file with that chunk overwritten while the newer state never reached the disk: a file H2 cannot
 * open, or one that loses confirmed messages. With the barrier, an overwrite is preceded by a sync
 * of everything written before it, so the state on disk at any instant is a synced state plus
 * appended (not overwriting) writes, which H2's recovery discards if incomplete. The same holds for
 * H2's store header, which H2 rewrites to point at a chunk that may not be on disk yet ({@link
 * WriteBarrierChannel}).
 *
 * <p>Registered once per class loader with {@link #register()}; H2 creates further instances by
 * reflection (hence the public no-argument constructor). Thread-safe.
 */
public final class WriteBarrierFilePath extends FilePathWrapper {

  /** The scheme, the part of an H2 database name before the colon. */
  public static final String SCHEME = "warrenbarrier";

  private static final WriteBarrierFilePath PROTOTYPE = new WriteBarrierFilePath();

  /** Used by H2's {@code FilePathWrapper} through reflection; call {@link #register()} instead. */
  public WriteBarrierFilePath() {}

  /**
   * Makes the scheme known to H2's {@code FilePath} registry (of the H2 classes this class was
   * loaded with). Idempotent, thread-safe.
   */
  public static void register() {
    FilePath.register(PROTOTYPE);
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    FileChannel base = getBase().open(mode);
    return "r".equals(mode) ? base : new WriteBarrierChannel(base, getBase().toString());
  }
}
