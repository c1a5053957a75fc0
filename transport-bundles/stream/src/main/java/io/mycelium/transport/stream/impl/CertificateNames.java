package io.mycelium.transport.stream.impl;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The names a certificate gives its holder: every DNS entry of its subject alternative names, then the common name
 * (CN) of its subject. A node's certificate must carry the node's name as one of them. Stateless.
 */
public final class CertificateNames {

    private static final int SAN_DNS = 2;

    private CertificateNames() {
    }

    /** Returns the names, SAN DNS entries first; never null, possibly empty (a certificate that names no one). */
    public static List<String> of(final X509Certificate certificate) {
        final List<String> names = new ArrayList<>();
        try {
            final Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (final List<?> entry : alternatives) {
                    if (entry.size() >= 2 && entry.get(0) instanceof Integer type && type == SAN_DNS) {
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (final CertificateParsingException e) {
            // A broken extension names no one; the common name may still.
            names.add("(unreadable subject alternative names: " + e.getMessage() + ")");
        }
        try {
            for (final Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equals(rdn.getType().toUpperCase(Locale.ROOT)) && !names.contains(rdn.getValue().toString())) {
                    names.add(rdn.getValue().toString());
                }
            }
        } catch (final InvalidNameException e) {
            names.add("(unreadable subject: " + e.getMessage() + ")");
        }
        return names;
    }

    /** Returns whether {@code certificate} names {@code name} (exactly, as node names are case-sensitive). */
    static boolean names(final X509Certificate certificate, final String name) {
        return of(certificate).contains(name);
    }

    /** Returns the names for messages: {@code 'a', 'b'}, or {@code no name}. */
    static String describe(final X509Certificate certificate) {
        final List<String> names = of(certificate);
        if (names.isEmpty()) {
            return "no name";
        }
        final StringBuilder out = new StringBuilder();
        for (final String name : names) {
            out.append(out.length() == 0 ? "" : ", ").append('\'').append(name).append('\'');
        }
        return out.toString();
    }
}
