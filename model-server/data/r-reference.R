# R's reference figures for the accuracy benchmark (AccuracyBenchmark): forecast::ets (defaults), forecast::thetaf,
# forecast::snaive and forecast::naive on exactly the benchmark's splits of series.csv (hold out the last 18 points of
# a monthly series, 8 of a quarterly one; fit on the rest; leading/trailing NaN already trimmed by convert.R; a series
# with NaN left in its fitting part is skipped, as the benchmark does). Metrics computed here, independently of the
# Java code: MASE scaled by the in-sample seasonal naive MAE (M4), sMAPE (M4, %), share of held-out points inside the
# 80% interval (10%-90%). Run from this directory: Rscript r-reference.R  (writes r-reference.csv)
suppressMessages(library(forecast))
s <- read.csv("series.csv", stringsAsFactors = FALSE)
mase <- function(train, test, fc, m) mean(abs(test - fc)) / mean(abs(diff(train, lag = m)))
smape <- function(test, fc) { d <- abs(test) + abs(fc); mean(ifelse(d == 0, 0, 200 * abs(test - fc) / d)) }
cover <- function(test, lo, hi) mean(test >= lo & test <= hi)
out <- list()
for (i in seq_len(nrow(s))) {
  f <- s$frequency[i]; h <- if (f == 12) 18 else 8
  y <- as.numeric(strsplit(s$values[i], " ")[[1]])
  n <- length(y); train <- y[1:(n - h)]; test <- y[(n - h + 1):n]
  if (any(is.na(train)) || any(is.na(test))) { message("skip (NaN): ", s$name[i]); next }
  tr <- ts(train, frequency = f)
  fits <- list(
    ets = function() forecast(ets(tr), h = h, level = 80),
    thetaf = function() thetaf(tr, h = h, level = 80),
    snaive = function() snaive(tr, h = h, level = 80),
    naive = function() naive(tr, h = h, level = 80))
  for (meth in names(fits)) {
    fc <- tryCatch(fits[[meth]](), error = function(e) { message(s$name[i], " ", meth, ": ", conditionMessage(e)); NULL })
    if (is.null(fc)) next
    p <- as.numeric(fc$mean); lo <- as.numeric(fc$lower[, 1]); hi <- as.numeric(fc$upper[, 1])
    model <- if (meth == "ets") fc$method else meth
    out[[length(out) + 1]] <- data.frame(series = s$name[i], method = meth, model = model,
      mase = mase(train, test, p, f), smape = smape(test, p), coverage80 = cover(test, lo, hi))
  }
}
r <- do.call(rbind, out)
write.csv(r, "r-reference.csv", row.names = FALSE)
agg <- aggregate(cbind(mase, smape, coverage80) ~ method, data = r, FUN = mean)
print(agg)
cat("measured by R", R.version.string, "forecast", as.character(packageVersion("forecast")), "\n")
