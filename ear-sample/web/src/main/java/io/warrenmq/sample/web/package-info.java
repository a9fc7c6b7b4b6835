/**
 * The EAR sample's HTTP endpoint, under context root {@code /ear-sample}: {@code POST
 * /api/orders?count=N} places orders, {@code GET /api/orders/stats} reads the counters, {@code POST
 * /api/orders/reset} sets them back to zero. Bodies are JSON.
 */
package io.warrenmq.sample.web;
