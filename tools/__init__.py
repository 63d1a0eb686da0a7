"""Developer tools, outside the runtime package: synthetic data (`synth`) and the benchmark
(`bench`). Run them with `./dev synth …` and `./dev bench …`."""
