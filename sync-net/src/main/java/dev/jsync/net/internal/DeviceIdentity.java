package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This device's TLS key and certificate, and the id derived from it. Created on first start and
 * kept in {@value #FILE_NAME} (PKCS#12) in the state folder; later starts load it, so the device
 * id never changes. A file that exists but cannot be read is an error, never silently replaced:
 * a new key would be a new device to every peer.
 *
 * <p>The PKCS#12 password is a fixed constant, not a secret: PKCS#12 requires one, and what
 * protects the key is the file's owner-only permissions. Immutable after loading; loading does I/O.
 */
final class DeviceIdentity {

  static final String FILE_NAME = "device.p12";
  private static final String ALIAS = "device";
  private static final char[] PASSWORD = "jsync".toCharArray();
  private static final Logger LOG = LoggerFactory.getLogger(DeviceIdentity.class);

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final byte[] certificateDer;
  private final DeviceId id;

  private DeviceIdentity(PrivateKey key, X509Certificate certificate) throws CertificateEncodingException {
    this.key = key;
    this.certificate = certificate;
    this.certificateDer = certificate.getEncoded();
    this.id = DeviceId.fromCertificate(certificateDer);
  }

  /** Loads the identity kept in {@code stateDir}, creating it (and the folder) on first use. */
  static DeviceIdentity loadOrCreate(Path stateDir, Clock clock) throws IOException {
    Path file = stateDir.resolve(FILE_NAME);
    try {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return load(file);
      }
      PrivateFiles.createFolders(stateDir);
      SelfSignedCertificates.KeyAndCertificate made =
          SelfSignedCertificates.generate(clock.instant(), new SecureRandom());
      DeviceIdentity identity = new DeviceIdentity(made.keys().getPrivate(), made.certificate());
      if (!store(file, identity)) {
        return load(file); // another process created it first: use theirs
      }
      LOG.debug("created device identity {} in {}", identity.id, file);
      return identity;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the device identity in " + file + ": " + e.getMessage(), e);
    }
  }

  private static DeviceIdentity load(Path file) throws IOException, GeneralSecurityException {
    checkPrivate(file);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      store.load(in, PASSWORD);
    }
    if (!(store.getKey(ALIAS, PASSWORD) instanceof PrivateKey key)
        || !(store.getCertificate(ALIAS) instanceof X509Certificate cert)) {
      throw new IOException(file + " holds no device key and certificate");
    }
    return new DeviceIdentity(key, cert);
  }

  /**
   * Refuses a key file other users can read, as ssh refuses such a private key: the key may
   * already have been copied, so only the user can decide whether to keep it (chmod) or to make
   * a new identity (delete the file). Never loosened or tightened here. No check off POSIX.
   */
  static void checkPrivate(Path file) throws IOException {
    if (Files.isSymbolicLink(file)) {
      throw new IOException("the device key " + file + " is a symbolic link: jsync reads it only from a file in the"
          + " state folder itself; move the file there in place of the link");
    }
    if (PrivateFiles.readableByOthers(file)) {
      throw new IOException("this device's private key can be read by other users (mode " + PrivateFiles.mode(file)
          + "): if no one else could have copied it, run `chmod 600 " + file + "`; otherwise delete that file to"
          + " make a new identity (peers then see a new device)");
    }
  }

  /**
   * Writes the whole file under a temporary name, forces it to disk, then renames it into place
   * (never over an existing file): a crash leaves either no identity or a complete one. Returns
   * false if the file appeared meanwhile.
   */
  private static boolean store(Path file, DeviceIdentity identity) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(ALIAS, identity.key, PASSWORD, new Certificate[] {identity.certificate});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    store.store(bytes, PASSWORD);
    // Owner-only from its creation (a random name, created new): never readable by anyone else.
    Path temp = Files.createTempFile(file.getParent(), ".device-", ".p12.tmp", PrivateFiles.file(file));
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        out.write(ByteBuffer.wrap(bytes.toByteArray()));
        out.force(true);
      }
      Files.move(temp, file);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  DeviceId id() {
    return id;
  }

  PrivateKey key() {
    return key;
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** The certificate's DER encoding (a copy). */
  byte[] certificateDer() {
    return certificateDer.clone();
  }
}
