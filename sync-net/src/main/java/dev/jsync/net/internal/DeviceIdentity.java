package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.PrivateFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This device's TLS key and certificate, and the id derived from it. Created on first start and
 * kept in {@value #FILE_NAME} in the state folder (PEM: the PKCS#8 private key, then the X.509
 * certificate); later starts load it, so the device id never changes. A file that exists but
 * cannot be read is an error, never silently replaced: a new key would be a new device to every
 * peer.
 *
 * <p>What protects the key is the file's owner-only permissions, so it is not encrypted. An
 * identity made by an older jsync is kept in {@value #OLD_FILE_NAME} (PKCS#12 under a fixed
 * password, which protected nothing and cost three rounds of 10,000 PBKDF2 iterations, ~0.3 s of
 * CPU, at every start); it is still loaded from there, and never rewritten, so an older jsync
 * still finds it. Immutable after loading; loading does I/O.
 */
final class DeviceIdentity {

  static final String FILE_NAME = "device.pem";
  static final String OLD_FILE_NAME = "device.p12";
  private static final String ALIAS = "device";
  /** Far more than a key and a certificate take; a larger file is not read. */
  private static final long MAX_FILE = 64 * 1024;
  private static final String KEY_LABEL = "PRIVATE KEY";
  private static final String CERTIFICATE_LABEL = "CERTIFICATE";
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
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
    Path old = stateDir.resolve(OLD_FILE_NAME);
    try {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return load(file);
      }
      if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
        return loadPkcs12(old);
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
    String text;
    try (SeekableByteChannel in = Files.newByteChannel(file, LinkOption.NOFOLLOW_LINKS)) {
      if (in.size() > MAX_FILE) {
        throw new IOException(file + " is " + in.size() + " bytes, too large for a device key and certificate");
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) in.size());
      while (buffer.hasRemaining() && in.read(buffer) >= 0) {
        // read it all
      }
      text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }
    byte[] keyDer = null;
    byte[] certificateDer = null;
    Matcher m = PEM_BLOCK.matcher(text);
    while (m.find()) {
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": a " + m.group(1) + " that is not Base64", e);
      }
      if (m.group(1).equals(KEY_LABEL) && keyDer == null) {
        keyDer = der;
      } else if (m.group(1).equals(CERTIFICATE_LABEL) && certificateDer == null) {
        certificateDer = der;
      } else {
        throw new IOException(file + ": an unexpected " + m.group(1) + " (it should hold one private key and one"
            + " certificate)");
      }
    }
    if (keyDer == null || certificateDer == null) {
      throw new IOException(file + " holds no device key and certificate");
    }
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(certificateDer));
    PrivateKey key = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm())
        .generatePrivate(new PKCS8EncodedKeySpec(keyDer));
    return new DeviceIdentity(key, cert);
  }

  /** Loads an identity an older jsync kept as PKCS#12. */
  private static DeviceIdentity loadPkcs12(Path file) throws IOException, GeneralSecurityException {
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
  private static boolean store(Path file, DeviceIdentity identity) throws IOException {
    String text = pem(KEY_LABEL, identity.key.getEncoded()) + pem(CERTIFICATE_LABEL, identity.certificateDer);
    // Owner-only from its creation (a random name, created new): never readable by anyone else.
    Path temp = Files.createTempFile(file.getParent(), ".device-", ".pem.tmp", PrivateFiles.file(file));
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
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

  private static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
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
