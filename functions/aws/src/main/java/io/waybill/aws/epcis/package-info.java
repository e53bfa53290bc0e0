/**
 * The EPCIS 2.0 capture and query store (issue 16): one DynamoDB table holding the captured events, the index items
 * queries find them by (GSI {@code query}) and the capture jobs (expiring through TTL).
 */
package io.waybill.aws.epcis;
