package dev.jsync.testkit.sim;

import dev.jsync.core.ConflictResolver;
import dev.jsync.core.NewestWinsResolver;
import dev.jsync.testkit.ResolverProperties;

/** The default resolver, through the kit's ready-made properties, as any embedder's would be. */
class NewestWinsResolverProperties extends ResolverProperties {

  @Override
  protected ConflictResolver resolver() {
    return NewestWinsResolver.defaults();
  }
}
