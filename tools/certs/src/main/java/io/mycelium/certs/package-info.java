/**
 * A private certificate authority for a Mycelium topology: makes the CA and one certificate per node (CN and DNS
 * subject alternative name = the node name, usable as TLS client and server), and writes and reads them as PEM files
 * that the JDK alone can load ({@code CertificateFactory}, {@code KeyFactory} with {@code PKCS8EncodedKeySpec}).
 *
 * <p>Files in a certificate directory ({@link io.mycelium.certs.CertificateDirectory}): {@code ca.pem} (the CA
 * certificate), {@code ca.key}, {@code <node>.pem} (the node's certificate followed by the CA's) and
 * {@code <node>.key} (PKCS#8). Private keys are written readable by their owner only (0600).
 */
package io.mycelium.certs;
