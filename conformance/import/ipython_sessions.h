/*
 * The import note's IPython session transcripts (golden/import/ipython; the
 * format is golden/README.md's "Session transcripts"): each file one run of
 * `IMPL embed --python=3.11` in a fresh directory holding the header's
 * Directory, fed every Input line and then the end of input, and each block
 * its own test (ipython_FILESTEM.NAME) checking its Output at its place in
 * what the implementation printed. A block the implementation refuses
 * (IPython's error block of a NotImplementedError where the block's Output
 * was expected, up to the next prompt) is reported skipped, and the check
 * goes on from that prompt; a mismatch fails its block and leaves the later
 * ones unchecked (failed).
 */
#ifndef PYNOTES_CONFORMANCE_IMPORT_IPYTHON_SESSIONS_H_
#define PYNOTES_CONFORMANCE_IMPORT_IPYTHON_SESSIONS_H_

/* Registers the tests of every *.txt in dir (relative to the workspace root). */
void ct_ipython_sessions(const char *dir);

#endif /* PYNOTES_CONFORMANCE_IMPORT_IPYTHON_SESSIONS_H_ */
