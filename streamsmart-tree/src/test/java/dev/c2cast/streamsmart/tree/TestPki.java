package dev.c2cast.streamsmart.tree;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A stream owner's PKI made at test time with the JDK's {@code keytool}: an EC CA, and clone certificates
 * {@code CN=clone-<id>} signed by it. To keep the number of keytool launches (about half a second each) down, the
 * clones of one test share one key pair and differ by certificate: one {@code -gencert -dname} per member from
 * one certificate request. Test-only.
 */
final class TestPki
{
    static final String PASSWORD = "c2cast-test";
    private static final String KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

    private final Path dir;
    private final String caAlias;
    private final X509Certificate ca;
    private final PrivateKey fleetKey;
    private final Path fleetRequest;

    private TestPki(final Path dir, final String caAlias, final X509Certificate ca, final PrivateKey fleetKey,
        final Path fleetRequest)
    {
        this.dir = dir;
        this.caAlias = caAlias;
        this.ca = ca;
        this.fleetKey = fleetKey;
        this.fleetRequest = fleetRequest;
    }

    /**
     * A CA named {@code caName} and the fleet key pair, in {@code dir}.
     */
    static TestPki create(final Path dir, final String caName) throws IOException, GeneralSecurityException
    {
        Files.createDirectories(dir);
        final Path caStore = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + caName,
            "-ext", "bc:c", "-validity", "2", "-keystore", caStore.toString(), "-storetype", "PKCS12",
            "-storepass", PASSWORD);
        final Path fleetStore = dir.resolve("fleet.p12");
        keytool("-genkeypair", "-alias", "fleet", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
            "CN=fleet", "-validity", "2", "-keystore", fleetStore.toString(), "-storetype", "PKCS12",
            "-storepass", PASSWORD);
        final Path request = dir.resolve("fleet.csr");
        keytool("-certreq", "-alias", "fleet", "-keystore", fleetStore.toString(), "-storepass", PASSWORD,
            "-file", request.toString());
        final KeyStore caKeys = load(caStore);
        final KeyStore fleetKeys = load(fleetStore);
        return new TestPki(dir, "ca", (X509Certificate)caKeys.getCertificate("ca"),
            (PrivateKey)fleetKeys.getKey("fleet", PASSWORD.toCharArray()), request);
    }

    /** The CA certificate. */
    X509Certificate ca()
    {
        return ca;
    }

    /** Trust managers holding only this CA. */
    TrustManagerFactory trust() throws GeneralSecurityException, IOException
    {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("owner-ca", ca);
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    /** Key managers for a certificate {@code CN=clone-<member>} signed by this CA. */
    KeyManagerFactory keysFor(final long member) throws IOException, GeneralSecurityException
    {
        final Path certificate = dir.resolve("clone-" + member + ".pem");
        keytool("-gencert", "-alias", caAlias, "-keystore", dir.resolve("ca.p12").toString(), "-storepass", PASSWORD,
            "-infile", fleetRequest.toString(), "-outfile", certificate.toString(), "-rfc", "-validity", "2",
            "-dname", "CN=" + PeerIdentity.COMMON_NAME_PREFIX + member + ",O=c2cast-test");
        final X509Certificate leaf;
        try (InputStream in = Files.newInputStream(certificate))
        {
            leaf = (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        final KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("clone", fleetKey, PASSWORD.toCharArray(), new Certificate[] {leaf, ca});
        final KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD.toCharArray());
        return factory;
    }

    /** Secure configurations for many members, two keytool processes at a time. */
    Map<Long, CloneSecurity> securities(final Collection<Long> members, final TrustManagerFactory trust)
        throws Exception
    {
        final Map<Long, CloneSecurity> result = new ConcurrentHashMap<>();
        final List<Long> ids = new ArrayList<>(members);
        final List<Exception> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Thread[] workers = new Thread[2];
        for (int w = 0; w < workers.length; w++)
        {
            final int first = w;
            workers[w] = new Thread(() ->
            {
                for (int i = first; i < ids.size(); i += workers.length)
                {
                    try
                    {
                        result.put(ids.get(i), CloneSecurity.fromStores(keysFor(ids.get(i)), trust));
                    }
                    catch (final Exception ex)
                    {
                        errors.add(ex);
                    }
                }
            }, "keytool-" + w);
            workers[w].start();
        }
        for (final Thread worker : workers)
        {
            worker.join(TimeUnit.MINUTES.toMillis(2));
        }
        if (!errors.isEmpty())
        {
            throw errors.get(0);
        }
        if (result.size() != ids.size())
        {
            throw new IllegalStateException("keytool did not finish: " + result.size() + " of " + ids.size());
        }
        return result;
    }

    private static KeyStore load(final Path file) throws IOException, GeneralSecurityException
    {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file))
        {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(KEYTOOL);
        command.add("-J-XX:TieredStopAtLevel=1");
        command.add("-J-XX:+UseSerialGC");
        command.add("-noprompt");
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("keytool timed out: " + command);
            }
            if (process.exitValue() != 0)
            {
                throw new IOException("keytool failed (" + process.exitValue() + "): " + command + "\n"
                    + new String(output, StandardCharsets.UTF_8));
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }
}
