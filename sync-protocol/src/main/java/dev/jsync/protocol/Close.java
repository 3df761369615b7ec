package dev.jsync.protocol;

import java.util.Objects;

/**
 * The last message on a connection closed on purpose: why, and a free-text detail for the
 * receiver's log (cut to {@value Protocol#MAX_DETAIL_CHARS} characters).
 */
public record Close(CloseReason reason, String detail) implements Message {

  public Close {
    Objects.requireNonNull(reason, "reason");
    detail = Texts.cut(Objects.requireNonNull(detail, "detail"));
  }
}
