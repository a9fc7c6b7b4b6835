/** Misconfigured MDBs that the bad-input test expects the server to refuse. */
package io.warrenmq.serverconfig.bad;
