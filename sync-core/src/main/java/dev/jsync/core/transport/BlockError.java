package dev.jsync.core.transport;

/** Why a block could not be served. */
public enum BlockError {
  /** The path is not in the server's index, is ignored there, or is not a file. */
  NO_SUCH_FILE,
  /** The file changed: its bytes at that range no longer hash to the requested hash. */
  CHANGED,
  /** Reading failed on the server. */
  IO_ERROR,
  /** The request itself was malformed (bad path, range too large). */
  INVALID_REQUEST,
  /** The server is shedding load; retry later. */
  BUSY
}
