# Converts, once, the monthly and quarterly time series of R's AER 1.2-10 (Debian r-cran-aer) and R 4.2's datasets
# package into series.csv. Run from this directory: Rscript convert.R
# Selection is a rule, not a choice of series (see SOURCES.md): every column of every ts with frequency 4 or 12,
# minus (1) data we may not redistribute, (2) exact duplicates of an earlier series, (3) 0/1 indicator columns,
# (4) series shorter than 3 seasons + the benchmark horizon (18 monthly, 8 quarterly) after trimming leading and
# trailing NA. Interior NA stay NaN.
suppressMessages(library(AER))
# Datasets or columns whose original publisher restricts redistribution (SOURCES.md):
not_shippable <- c("USStocksSW",   # CRSP (Center for Research in Security Prices): proprietary, licensed data
                   "sunspots", "sunspot.month",  # WDC-SILSO, Royal Observatory of Belgium: CC BY-NC 4.0
                   "presidents",   # Gallup Organization poll results (copyrighted)
                   "BondYield",    # Moody's Aaa yields: Moody's reserves all rights (FRED reprints with permission)
                   "UKInflation.expected")  # CBI Industrial Trends Survey expectations (subscription data)
rows <- list(); seen <- list()
for (pkg in c("AER", "datasets")) {
  for (nm in sort(sub(" .*", "", data(package = pkg)$results[, "Item"]))) {
    e <- new.env(); suppressWarnings(try(data(list = nm, package = pkg, envir = e), silent = TRUE))
    if (!exists(nm, envir = e)) next
    x <- get(nm, envir = e)
    if (!is.ts(x) || !(frequency(x) %in% c(4, 12))) next
    if (nm %in% not_shippable) { message("skip (licence): ", nm); next }
    m <- as.matrix(x); f <- frequency(x)
    cols <- if (ncol(m) == 1) nm else paste0(nm, ".", colnames(m))
    for (j in seq_len(ncol(m))) {
      if (cols[j] %in% not_shippable) { message("skip (licence): ", cols[j]); next }
      v <- as.numeric(m[, j]); t0 <- tsp(x)[1]
      ok <- which(!is.na(v))
      if (length(ok) == 0) next
      first <- min(ok); last <- max(ok); v <- v[first:last]; t0 <- t0 + (first - 1) / f
      h <- if (f == 12) 18 else 8
      if (length(v) < 3 * f + h) { message("skip (short): ", cols[j], " n=", length(v)); next }
      if (all(v %in% c(0, 1))) { message("skip (indicator): ", cols[j]); next }
      dup <- Filter(function(s) length(s$v) == length(v) && isTRUE(all.equal(s$v, v)) && s$f == f, seen)
      if (length(dup) > 0) { message("skip (duplicate of ", dup[[1]]$name, "): ", cols[j]); next }
      year <- floor(t0 + 1e-8); period <- round((t0 - year) * f) + 1
      seen[[length(seen) + 1]] <- list(name = cols[j], v = v, f = f)
      vals <- ifelse(is.na(v), "NaN", format(v, digits = 15, trim = TRUE, scientific = FALSE))
      rows[[length(rows) + 1]] <- data.frame(name = cols[j], source = pkg, frequency = f,
        start = sprintf("%d-%d", year, period), length = length(v), values = paste(vals, collapse = " "))
      cat(sprintf("%-28s f=%2d start=%d-%d n=%4d first=%s last=%s\n", cols[j], f, year, period, length(v),
                  vals[1], vals[length(v)]))
    }
  }
}
out <- do.call(rbind, rows)
write.csv(out, "series.csv", row.names = FALSE, quote = TRUE)
cat(nrow(out), "series written to series.csv\n")
