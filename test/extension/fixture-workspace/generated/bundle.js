// Ignored by .gitignore: never uploaded, never analyzed.
module.exports = (input) => eval(input);
