/* Persistent per-thread Python thread states and the GIL (python-embedding.md §3: never a per-call temporary). */
#include "mycelium_python.h"

PyGILState_STATE myc_gil_acquire(void)
{
    if (PyGILState_GetThisThreadState() == NULL) {
        /* First call on this thread: Ensure creates the thread state with a gilstate count of 1, SaveThread
         * releases the GIL but keeps the state, so every later Ensure/Release pair reuses it (~190 ns). */
        PyGILState_Ensure();
        PyEval_SaveThread();
    }
    return PyGILState_Ensure();
}

void myc_gil_release(PyGILState_STATE state)
{
    PyGILState_Release(state);
}

void myc_thread_detach(PyThreadState *main_state)
{
    PyThreadState *state = PyGILState_GetThisThreadState();
    if (state == NULL || state == main_state) {
        return;
    }
    /* Undo the attach: take the GIL with the kept state, then the release that drops the count to 0 clears and
     * deletes it and releases the GIL. */
    PyEval_RestoreThread(state);
    PyGILState_Release(PyGILState_UNLOCKED);
}
