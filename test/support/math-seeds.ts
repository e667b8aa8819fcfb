/** Math instructions the simulator classifies as Math and finds hard often enough: seeds for campaigns whose other categories start empty. */
export const MATH_SEEDS: readonly string[] = [
  'Solve for x: 3x + 7 = 22.',
  'What is the derivative of x^3 - 4x^2 + 2x with respect to x?',
  'Calculate the area of a circle with a radius of 7 centimetres.',
  'A train travels 180 km in 2.5 hours. What is its average speed in km per hour?',
  'Find the greatest common divisor of 84 and 126.',
  'Simplify the fraction 45/60 and express it as a percentage.',
];
