# Generates the R oracles for the model server's method tests (Theta, Croston, naive, seasonal naive).
# Run from model-server/:  Rscript src/test/r/methods-fixtures.R
# Needs R 4.2 and r-cran-forecast 8.20 (Debian packages). CI has no R: the outputs are committed under
# src/test/resources/fixtures/ and the Java tests read them. Series: R's datasets (AirPassengers, Nile, UKgas,
# WWWusage) and one hand-written intermittent demand series.
suppressMessages(library(forecast))
out <- "src/test/resources/fixtures/"
num <- function(v) paste0("[", paste(sprintf("%.17g", as.numeric(v)), collapse = ","), "]")
write_case <- function(name, y, m, h, fc) {
  lines <- c("{",
    sprintf('"series":%s,', num(y)),
    sprintf('"period":%d,', m),
    sprintf('"h":%d,', h),
    sprintf('"mean":%s,', num(fc$mean)))
  if (!is.null(fc$lower)) {
    lines <- c(lines,
      sprintf('"lower80":%s,', num(fc$lower[, 1])), sprintf('"upper80":%s,', num(fc$upper[, 1])),
      sprintf('"lower95":%s,', num(fc$lower[, 2])), sprintf('"upper95":%s,', num(fc$upper[, 2])))
  }
  lines <- c(lines, sprintf('"r":"forecast %s"', as.character(packageVersion("forecast"))), "}")
  writeLines(lines, paste0(out, name, ".json"))
}
# Theta (forecast::thetaf): seasonal monthly, seasonal quarterly, non-seasonal annual, non-seasonal with frequency 1
write_case("theta-airpassengers", AirPassengers, 12, 24, thetaf(AirPassengers, h = 24))
write_case("theta-ukgas", UKgas, 4, 8, thetaf(UKgas, h = 8))
write_case("theta-nile", Nile, 1, 10, thetaf(Nile, h = 10))
write_case("theta-wwwusage", WWWusage, 1, 10, thetaf(WWWusage, h = 10))
# Naive and seasonal naive (forecast::naive, forecast::snaive) with their 80/95 % intervals
write_case("naive-airpassengers", AirPassengers, 12, 15, naive(AirPassengers, h = 15))
write_case("snaive-airpassengers", AirPassengers, 12, 30, snaive(AirPassengers, h = 30))
write_case("snaive-ukgas", UKgas, 4, 9, snaive(UKgas, h = 9))
# Croston (forecast::croston, alpha 0.1) on an intermittent demand series
demand <- c(0, 0, 3, 0, 0, 0, 5, 0, 1, 0, 0, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 6, 0, 0, 3, 0, 0, 0, 1,
            0, 0, 0, 0, 2, 0, 0, 7, 0, 0, 0, 0, 3, 0, 0, 0, 4, 0)
write_case("croston-demand", demand, 1, 6, croston(demand, h = 6, alpha = 0.1))
write_case("croston-demand-a03", demand, 1, 6, croston(demand, h = 6, alpha = 0.3))
