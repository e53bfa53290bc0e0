/**
 * Cold-chain exposure: how long a shipment spent outside its product's temperature band, by how much, its mean
 * kinetic temperature, and whether that breaches the product's policy. Pure JDK, no AWS types.
 *
 * <pre>{@code
 * ExposureAssessment a = ProductClass.VACCINES_2_8.assess(readings);
 * a.figures().torSeconds();     // time out of range
 * a.figures().mktCelsius();     // mean kinetic temperature, empty for fewer than two readings
 * a.verdict().severity();       // NONE, MINOR, MAJOR or CRITICAL
 * }</pre>
 *
 * <p>The arithmetic rules (documented on {@link io.waybill.domain.coldchain.ExposureSeries} and
 * {@link io.waybill.domain.coldchain.ExposureCalculator}) are a contract: the {@code waybill coldchain} command
 * that quality teams use prints these figures.
 */
package io.waybill.domain.coldchain;
