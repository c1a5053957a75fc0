package io.mycelium.itests.osgi.bus;

/**
 * The fixture bundles of the bus tests: a protocol bundle (Ping/Pong + Schema service), a clashing protocol, a
 * publisher, subscribers and a responder, each a DS component described by hand-written XML.
 */
public final class BusFixtures {

    /** Import of the API, as bnd would generate for a consumer. */
    static final String API = "io.mycelium.api;version=\"[2.0,3)\"";
    /** Import of the request helper package, as bnd would generate for a consumer. */
    static final String REQUEST = "io.mycelium.api.request;version=\"[1.0,2)\"";
    static final String PROTOCOL_PACKAGE = "io.mycelium.itests.fixture.protocol";
    static final String PROTOCOL = PROTOCOL_PACKAGE + ";version=\"[1.0,2)\"";
    /** Factory PID prefix of subscriber components; the bundle's suffix is appended. */
    public static final String SUBSCRIBER_PID = "io.mycelium.itests.fixture.subscriber.";

    private static final String NS = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" ";
    private static final String BUS_REF =
        "  <reference name=\"bus\" interface=\"io.mycelium.api.MessageBus\" parameter=\"0\"/>\n";

    private BusFixtures() {
    }

    /** @return the protocol bundle: exports the message classes and registers their Schema */
    public static byte[] protocol() {
        return new FixtureJar("io.mycelium.itests.fixture.protocol", "1.0.0")
            .header("Import-Package", API)
            .header("Export-Package", PROTOCOL_PACKAGE + ";version=\"1.0.0\"")
            .classesOf(PROTOCOL_PACKAGE)
            .component("fixture.protocol", NS + "name=\"fixture.protocol\" immediate=\"true\">\n"
                + "  <implementation class=\"io.mycelium.itests.fixture.protocol.PingSchema\"/>\n"
                + "  <service><provide interface=\"io.mycelium.api.Schema\"/></service>\n"
                + "</scr:component>\n")
            .build();
    }

    /** @return a protocol bundle whose type 3001 clashes with the ping protocol */
    public static byte[] clash() {
        return new FixtureJar("io.mycelium.itests.fixture.clash", "1.0.0")
            .header("Import-Package", API)
            .classesOf("io.mycelium.itests.fixture.clash")
            .component("fixture.clash", NS + "name=\"fixture.clash\" immediate=\"true\">\n"
                + "  <implementation class=\"io.mycelium.itests.fixture.clash.ClashSchema\"/>\n"
                + "  <service><provide interface=\"io.mycelium.api.Schema\"/></service>\n"
                + "</scr:component>\n")
            .build();
    }

    /** @return the publisher bundle: a {@code LongConsumer} service with property {@code fixture=publisher} */
    public static byte[] publisher() {
        return new FixtureJar("io.mycelium.itests.fixture.publisher", "1.0.0")
            .header("Import-Package", API + "," + PROTOCOL)
            .classesOf("io.mycelium.itests.fixture.publisher")
            .component("fixture.publisher", NS + "name=\"fixture.publisher\" immediate=\"true\" init=\"2\">\n"
                + "  <implementation class=\"io.mycelium.itests.fixture.publisher.PingPublisher\"/>\n"
                + "  <service><provide interface=\"java.util.function.LongConsumer\"/></service>\n"
                + "  <property name=\"fixture\" value=\"publisher\"/>\n"
                + "  <property name=\"source\" value=\"1\"/>\n"
                + BUS_REF
                + "</scr:component>\n")
            .build();
    }

    /**
     * @param suffix     the bundle's name suffix and factory PID suffix
     * @param generation a component property telling redeployed versions apart
     * @return a subscriber bundle whose instances are created by factory configurations of
     *         {@link #SUBSCRIBER_PID}{@code + suffix}
     */
    public static byte[] subscriber(final String suffix, final int generation) {
        return new FixtureJar("io.mycelium.itests.fixture.subscriber." + suffix, "1.0." + generation)
            .header("Import-Package", API + "," + PROTOCOL)
            .classesOf("io.mycelium.itests.fixture.subscriber")
            .component("fixture.subscriber", NS + "name=\"fixture.subscriber." + suffix + "\" init=\"2\" "
                + "configuration-policy=\"require\" configuration-pid=\"" + SUBSCRIBER_PID + suffix + "\" "
                + "deactivate=\"deactivate\">\n"
                + "  <implementation class=\"io.mycelium.itests.fixture.subscriber.PingSubscriber\"/>\n"
                + "  <service><provide interface=\"java.util.function.Function\"/></service>\n"
                + "  <property name=\"generation\" value=\"" + generation + "\"/>\n"
                + BUS_REF
                + "</scr:component>\n")
            .build();
    }

    /** @return the responder bundle: answers Ping with Pong */
    public static byte[] responder() {
        return new FixtureJar("io.mycelium.itests.fixture.responder", "1.0.0")
            .header("Import-Package", API + "," + REQUEST + "," + PROTOCOL)
            .classesOf("io.mycelium.itests.fixture.responder")
            .component("fixture.responder", NS + "name=\"fixture.responder\" immediate=\"true\" init=\"1\" "
                + "deactivate=\"deactivate\">\n"
                + "  <implementation class=\"io.mycelium.itests.fixture.responder.PingResponder\"/>\n"
                + BUS_REF
                + "</scr:component>\n")
            .build();
    }

    /** @return the end-to-end example publisher: publishes 1000 Pings once a subscriber exists */
    public static byte[] e2ePublisher() {
        return component("io.mycelium.itests.fixture.e2e.publisher", "AutoPublisher");
    }

    /** @return the end-to-end example subscriber: prints a line after 1000 Pings in order */
    public static byte[] e2eSubscriber() {
        return component("io.mycelium.itests.fixture.e2e.subscriber", "OrderedSubscriber");
    }

    /** A bundle of one package holding one immediate component constructed with the bus. */
    private static byte[] component(final String packageName, final String className) {
        return new FixtureJar(packageName, "1.0.0")
            .header("Import-Package", API + "," + PROTOCOL)
            .classesOf(packageName)
            .component(packageName, NS + "name=\"" + packageName + "\" immediate=\"true\" init=\"1\" "
                + "deactivate=\"deactivate\">\n"
                + "  <implementation class=\"" + packageName + "." + className + "\"/>\n"
                + BUS_REF
                + "</scr:component>\n")
            .build();
    }
}
