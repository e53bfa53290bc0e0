# Generates the ETS fixtures under model-server/src/test/resources/ets/ from R's forecast package (the oracle).
# Run from the repository root:  Rscript model-server/src/test/r/ets-fixtures.R
# Needs R >= 4.2, forecast 8.20, jsonlite. CI never runs this; the tests read the committed JSON.
suppressMessages({ library(forecast); library(jsonlite) })
stopifnot(packageVersion("forecast") == "8.20")
out.dir <- "model-server/src/test/resources/ets"
dir.create(out.dir, recursive = TRUE, showWarnings = FALSE)

series <- list(AirPassengers = AirPassengers, UKgas = UKgas, USAccDeaths = USAccDeaths,
               nottem = nottem, ldeaths = ldeaths, WWWusage = WWWusage, Nile = Nile,
               # fewer than three seasons: initstate's trend + Fourier regression path
               AirPassengers30 = ts(AirPassengers[1:30], frequency = 12),
               # short: models with np >= n - 1 are skipped
               WWWusage12 = ts(WWWusage[1:12]),
               # zeros: no multiplicative component may be tried
               counts = local({ set.seed(15); ts(rpois(60, 2), frequency = 12) }))
seasonal.specs <- c("ANN", "AAN", "AAdN", "AAA", "AAdA", "ANA", "MNN", "MAN", "MNA", "MAM", "MNM", "MAdM")
plain.specs <- c("ANN", "AAN", "AAdN", "MNN", "MAN", "MAdN", "MMN")

one.fit <- function(y, spec) {
  model <- paste0(substr(spec, 1, 2), substr(spec, nchar(spec), nchar(spec)))
  damped <- grepl("d", spec)
  fit <- ets(y, model = model, damped = damped)
  m <- frequency(y)
  h <- if (m > 1) 2 * m else 10
  set.seed(20261206)
  fc <- forecast(fit, h = h, level = c(80, 95))
  p <- fit$par
  g <- function(k) if (is.na(p[k])) NULL else unname(p[k])
  list(spec = spec, method = fit$method,
       alpha = g("alpha"), beta = g("beta"), gamma = g("gamma"), phi = g("phi"),
       initstate = unname(fit$initstate), loglik = fit$loglik, aic = fit$aic, aicc = fit$aicc,
       bic = fit$bic, sigma2 = fit$sigma2, fitted = as.numeric(fitted(fit)),
       residuals = as.numeric(residuals(fit)), mean = as.numeric(fc$mean),
       lower80 = as.numeric(fc$lower[, 1]), upper80 = as.numeric(fc$upper[, 1]),
       lower95 = as.numeric(fc$lower[, 2]), upper95 = as.numeric(fc$upper[, 2]))
}

for (name in names(series)) {
  y <- series[[name]]
  m <- frequency(y)
  specs <- if (m > 1) seasonal.specs else plain.specs
  fits <- list()
  for (s in specs) {
    f <- tryCatch(one.fit(y, s), error = function(e) NULL)
    if (!is.null(f)) fits[[length(fits) + 1]] <- f
  }
  t0 <- proc.time()[["elapsed"]]
  auto <- ets(y)
  secs <- proc.time()[["elapsed"]] - t0
  doc <- list(name = name, period = m, y = as.numeric(y), fits = fits,
              auto = list(method = auto$method, aicc = auto$aicc, loglik = auto$loglik, seconds = secs))
  writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = FALSE),
             file.path(out.dir, paste0(name, ".json")))
  cat(name, auto$method, auto$aicc, secs, "\n")
}

# forecast's admissible() (polyroot on the characteristic polynomial) on random seasonal parameter sets
set.seed(2026)
rows <- list()
for (i in 1:3000) {
  m <- sample(c(2, 4, 7, 12, 24), 1)
  alpha <- runif(1, 0, 1.2)
  has.beta <- runif(1) < 0.6
  beta <- if (has.beta) runif(1, -0.1, alpha) else NULL
  damped <- has.beta && runif(1) < 0.5
  phi <- if (damped) runif(1, 0.75, 1) else NULL
  gamma <- runif(1, 0, max(1.1 - alpha, 0.05))
  ok <- forecast:::admissible(alpha, beta, gamma, phi, m)
  # the largest root modulus polyroot reports (admissible() rejects above 1 + 1e-10)
  b <- if (has.beta) beta else 0
  p <- if (damped) phi else 1
  P <- c(p * (1 - alpha - gamma), alpha + b - alpha * p + gamma - 1, rep(alpha + b - alpha * p, m - 2),
         alpha + b - p, 1)
  rows[[i]] <- data.frame(m = m, alpha = alpha, beta = if (has.beta) beta else NA, gamma = gamma,
                          phi = if (damped) phi else NA, admissible = as.integer(ok),
                          maxroot = max(Mod(polyroot(P))))
}
adm <- do.call(rbind, rows)
write.csv(adm, file.path(out.dir, "admissible.csv"), row.names = FALSE, na = "NA")
cat("admissible rows", nrow(adm), "admissible", sum(adm$admissible), "\n")
