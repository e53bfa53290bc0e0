/**
 * Forecasting adapters (issue 15): the demand ledger and the forecast store on DynamoDB (no secondary index), and the
 * SageMaker runtime forecaster speaking DeepAR's JSON inference format.
 */
package io.waybill.aws.forecast;
