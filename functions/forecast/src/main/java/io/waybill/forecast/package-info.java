/** The forecast function's Lambda handlers and their wiring (issue 15). */
package io.waybill.forecast;
