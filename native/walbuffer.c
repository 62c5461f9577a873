/*
 * A SQLite VFS that writes a commit's WAL frames in a few system calls instead of two per page.
 *
 * SQLite appends each frame of a commit to the WAL as two writes, its 24-byte header and its page:
 * a delivery of 1,000 order events commits ~1,600 pages, 3,200 pwrite calls. On a virtual machine,
 * where a system call costs a few microseconds, that was most of the commit. This VFS wraps the
 * default one and, for WAL files only, gathers contiguous writes in memory and hands them to the
 * real file together: when a commit frame's header is written (a frame header carrying a
 * database size), and its page just after; when a write is not contiguous with what is gathered
 * or would overflow the buffer; and before anything else touches the file (read, sync, size,
 * truncate, file control, close).
 *
 * Why it is safe: other connections learn of new frames only from the WAL index header the writer
 * publishes after its frames are written, and the last write before that is always a commit
 * frame's header: the commit frame's own (its page then follows), or, when the transaction
 * overwrote frames it had spilled, the same header rewritten with new checksums after all the
 * frames. Either write returns only once everything gathered is in the file, and an error there
 * fails the commit, as a failed write of the frame itself would. Frames written before a commit
 * frame (a cache spill) are read back, if at all, by the same connection, and a read sends the
 * buffer first. A killed process loses only frames of a transaction that had not committed.
 *
 * Built as a loadable extension; loading it registers the VFS as the default, so every connection
 * opened afterwards in the process uses it. Files other than WALs are opened by the real VFS in
 * place, so they are the real VFS's files with its own methods: no call on them passes here.
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <string.h>

#define BUFFER_BYTES (8 * 1024 * 1024)

typedef struct WalFile {
  sqlite3_file base;
  sqlite3_file *real;
  unsigned char *buf;
  int len;
  sqlite3_int64 start;
  int commitPagePending; /* the last write was a commit frame's header: its page comes next */
} WalFile;

static sqlite3_vfs *realVfs;
/* Writes gathered and calls made to the real file, process-wide: `vitrine_walbuffer()` in SQL. */
static sqlite3_int64 gathered;
static sqlite3_int64 written;

/*
 * The unix VFS writes at most 128 KiB - 1 bytes a call (it masks the length with 0x1ffff), so the
 * buffer goes out in pieces of 124 KiB: a delivery's 6.6 MB in 54 calls instead of 3,200.
 */
#define PIECE_BYTES (124 * 1024)

static int flush(WalFile *f) {
  int len = f->len;
  f->len = 0;
  for (int done = 0; done < len; done += PIECE_BYTES) {
    int piece = len - done < PIECE_BYTES ? len - done : PIECE_BYTES;
    int rc = f->real->pMethods->xWrite(f->real, f->buf + done, piece, f->start + done);
    __atomic_add_fetch(&written, 1, __ATOMIC_RELAXED);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

static int walClose(sqlite3_file *file) {
  WalFile *f = (WalFile *)file;
  int rc = flush(f);
  int closed = f->real->pMethods->xClose(f->real);
  sqlite3_free(f->buf);
  f->buf = 0;
  return rc != SQLITE_OK ? rc : closed;
}

static int walRead(sqlite3_file *file, void *out, int amount, sqlite3_int64 offset) {
  WalFile *f = (WalFile *)file;
  int rc = flush(f);
  return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, amount, offset);
}

static int walWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
  WalFile *f = (WalFile *)file;
  int rc;
  int commitPage = f->commitPagePending;
  f->commitPagePending = 0;
  if (f->len > 0 && (offset != f->start + f->len || f->len + amount > BUFFER_BYTES || amount > PIECE_BYTES)) {
    rc = flush(f);
    if (rc != SQLITE_OK) return rc;
  }
  if (amount > PIECE_BYTES) return f->real->pMethods->xWrite(f->real, data, amount, offset);
  if (!f->buf) {
    f->buf = sqlite3_malloc(BUFFER_BYTES);
    if (!f->buf) return f->real->pMethods->xWrite(f->real, data, amount, offset);
  }
  if (f->len == 0) f->start = offset;
  memcpy(f->buf + f->len, data, amount);
  f->len += amount;
  __atomic_add_fetch(&gathered, 1, __ATOMIC_RELAXED);
  /*
   * A frame header (24 bytes) with a nonzero database size (bytes 4..7) is a commit frame's: what
   * is gathered goes out with it, and its page, which comes next, goes out as soon as it is
   * written. A commit frame's header is also what SQLite writes last when it rewrites the
   * checksums of a transaction that overwrote some of its own frames; there no page follows.
   */
  if (amount == 24) {
    const unsigned char *h = data;
    if (h[4] | h[5] | h[6] | h[7]) {
      f->commitPagePending = 1;
      return flush(f);
    }
  }
  return commitPage ? flush(f) : SQLITE_OK;
}

static int walTruncate(sqlite3_file *file, sqlite3_int64 size) {
  WalFile *f = (WalFile *)file;
  int rc = flush(f);
  return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int walSync(sqlite3_file *file, int flags) {
  WalFile *f = (WalFile *)file;
  int rc = flush(f);
  return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int walFileSize(sqlite3_file *file, sqlite3_int64 *size) {
  WalFile *f = (WalFile *)file;
  int rc = flush(f);
  return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int walLock(sqlite3_file *file, int level) {
  WalFile *f = (WalFile *)file;
  return f->real->pMethods->xLock(f->real, level);
}

static int walUnlock(sqlite3_file *file, int level) {
  WalFile *f = (WalFile *)file;
  return f->real->pMethods->xUnlock(f->real, level);
}

static int walCheckReservedLock(sqlite3_file *file, int *out) {
  WalFile *f = (WalFile *)file;
  return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int walFileControl(sqlite3_file *file, int op, void *arg) {
  WalFile *f = (WalFile *)file;
  int rc = flush(f);
  return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int walSectorSize(sqlite3_file *file) {
  WalFile *f = (WalFile *)file;
  return f->real->pMethods->xSectorSize(f->real);
}

static int walDeviceCharacteristics(sqlite3_file *file) {
  WalFile *f = (WalFile *)file;
  return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static const sqlite3_io_methods walMethods = {
  1, walClose, walRead, walWrite, walTruncate, walSync, walFileSize, walLock, walUnlock,
  walCheckReservedLock, walFileControl, walSectorSize, walDeviceCharacteristics,
  0, 0, 0, 0, 0, 0, /* version 1: SQLite never maps a WAL or its index through the WAL's own file */
};

static int bufferedOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *outFlags) {
  (void)vfs;
  if (!(flags & SQLITE_OPEN_WAL)) return realVfs->xOpen(realVfs, name, file, flags, outFlags);
  WalFile *f = (WalFile *)file;
  memset(f, 0, sizeof(WalFile));
  f->real = (sqlite3_file *)(f + 1);
  int rc = realVfs->xOpen(realVfs, name, f->real, flags, outFlags);
  if (rc != SQLITE_OK) {
    f->base.pMethods = 0;
    return rc;
  }
  f->base.pMethods = &walMethods;
  return SQLITE_OK;
}

static int bufferedDelete(sqlite3_vfs *vfs, const char *name, int syncDir) { (void)vfs; return realVfs->xDelete(realVfs, name, syncDir); }
static int bufferedAccess(sqlite3_vfs *vfs, const char *name, int flags, int *out) { (void)vfs; return realVfs->xAccess(realVfs, name, flags, out); }
static int bufferedFullPathname(sqlite3_vfs *vfs, const char *name, int n, char *out) { (void)vfs; return realVfs->xFullPathname(realVfs, name, n, out); }
static void *bufferedDlOpen(sqlite3_vfs *vfs, const char *name) { (void)vfs; return realVfs->xDlOpen(realVfs, name); }
static void bufferedDlError(sqlite3_vfs *vfs, int n, char *out) { (void)vfs; realVfs->xDlError(realVfs, n, out); }
static void (*bufferedDlSym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void) { (void)vfs; return realVfs->xDlSym(realVfs, handle, symbol); }
static void bufferedDlClose(sqlite3_vfs *vfs, void *handle) { (void)vfs; realVfs->xDlClose(realVfs, handle); }
static int bufferedRandomness(sqlite3_vfs *vfs, int n, char *out) { (void)vfs; return realVfs->xRandomness(realVfs, n, out); }
static int bufferedSleep(sqlite3_vfs *vfs, int micros) { (void)vfs; return realVfs->xSleep(realVfs, micros); }
static int bufferedCurrentTime(sqlite3_vfs *vfs, double *out) { (void)vfs; return realVfs->xCurrentTime(realVfs, out); }
static int bufferedGetLastError(sqlite3_vfs *vfs, int n, char *out) { (void)vfs; return realVfs->xGetLastError ? realVfs->xGetLastError(realVfs, n, out) : 0; }
static int bufferedCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *out) { (void)vfs; return realVfs->xCurrentTimeInt64(realVfs, out); }

/* Version 2: the calls SQLite makes on a VFS; szOsFile and mxPathname are the real one's, set at load. */
static sqlite3_vfs bufferedVfs = {
  .iVersion = 2,
  .zName = "walbuffer",
  .xOpen = bufferedOpen,
  .xDelete = bufferedDelete,
  .xAccess = bufferedAccess,
  .xFullPathname = bufferedFullPathname,
  .xDlOpen = bufferedDlOpen,
  .xDlError = bufferedDlError,
  .xDlSym = bufferedDlSym,
  .xDlClose = bufferedDlClose,
  .xRandomness = bufferedRandomness,
  .xSleep = bufferedSleep,
  .xCurrentTime = bufferedCurrentTime,
  .xGetLastError = bufferedGetLastError,
  .xCurrentTimeInt64 = bufferedCurrentTimeInt64,
};

/* vitrine_walbuffer(): '{"gathered":N,"written":M}', for tests and diagnosis. */
static void statsFunction(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  char text[96];
  sqlite3_snprintf(sizeof(text), text, "{\"gathered\":%lld,\"written\":%lld}", __atomic_load_n(&gathered, __ATOMIC_RELAXED), __atomic_load_n(&written, __ATOMIC_RELAXED));
  sqlite3_result_text(context, text, -1, SQLITE_TRANSIENT);
}

static int registerStats(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  (void)error;
  (void)api;
  return sqlite3_create_function(db, "vitrine_walbuffer", 0, SQLITE_UTF8, 0, statsFunction, 0, 0);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_walbuffer_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  if (sqlite3_vfs_find("walbuffer")) return SQLITE_OK_LOAD_PERMANENTLY;
  sqlite3_auto_extension((void (*)(void))registerStats);
  realVfs = sqlite3_vfs_find(0);
  if (!realVfs || realVfs->iVersion < 2) return SQLITE_ERROR;
  bufferedVfs.szOsFile = (int)sizeof(WalFile) + realVfs->szOsFile;
  bufferedVfs.mxPathname = realVfs->mxPathname;
  int rc = sqlite3_vfs_register(&bufferedVfs, 1);
  if (rc == SQLITE_OK) rc = registerStats(db, error, api);
  return rc == SQLITE_OK ? SQLITE_OK_LOAD_PERMANENTLY : rc;
}
