/**
 * Per-service delivery of bus messages to Python, queued lock-free and handed over in batches under one GIL
 * acquisition.
 */
package io.mycelium.python.impl.dispatch;
