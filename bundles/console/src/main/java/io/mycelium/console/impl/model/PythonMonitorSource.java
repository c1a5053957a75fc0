package io.mycelium.console.impl.model;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.mycelium.python.PythonInterpreterInfo;
import io.mycelium.python.PythonServiceInfo;
import io.mycelium.python.PythonServiceMonitor;

/**
 * Adapts the python bundle's {@link PythonServiceMonitor} to {@link PythonSource}. Satisfied only while the monitor
 * exists (CPython runs in this node). Thread-safe: stateless.
 */
@Component(service = PythonSource.class)
public final class PythonMonitorSource implements PythonSource {

    private final PythonServiceMonitor monitor;

    /** @param monitor the python bundle's monitor */
    @Activate
    public PythonMonitorSource(@Reference final PythonServiceMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public String version() {
        return interpreter().version();
    }

    @Override
    public String executable() {
        return interpreter().executable();
    }

    private PythonInterpreterInfo interpreter() {
        return monitor.interpreter();
    }

    @Override
    public List<PythonServiceRow> services() {
        final List<PythonServiceRow> rows = new ArrayList<>();
        for (PythonServiceInfo i : monitor.services()) {
            rows.add(new PythonServiceRow(i.name(), i.file(), i.state(), i.sinceMillis(), i.delivered(), 0,
                    i.errors(), i.lastTraceback(), i.subscriptions(), i.dropped(), i.queueDepth(),
                    i.queueCapacity()));
        }
        return rows;
    }

    @Override
    public boolean restart(final String name) {
        return monitor.restart(name);
    }
}
