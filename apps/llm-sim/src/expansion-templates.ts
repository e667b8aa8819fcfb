import type { TaskCategory } from './task-keywords';

/**
 * Material for simulated instruction expansion: per task category, instruction templates that
 * carry that category's cues (so classifyInstruction keeps the category) and a topic bank to fill
 * them, so created instructions share the seed's task type but not its words. Slots:
 * {t} and {t2} two different topics; {n} {m} {k} small numbers; {seq} a number sequence; {plang}
 * a programming language; {lang} a human language; {s} a plain sentence; {e} a sentence with a
 * mistake; {name} {name2} {name3} first names; {x} {y} {z} made-up plural nouns (syllogisms);
 * any other slot comes from the category's own `slots`.
 * Nothing here may contain the word "instruction": tapir's filters drop replies that do.
 */

export interface CategoryMaterial {
  templates: readonly string[];
  topics: readonly string[];
  /** Banks for slots of this category only, e.g. {c} situations or {p} philosophers. */
  slots?: Readonly<Record<string, readonly string[]>>;
}

export const PROGRAMMING_LANGUAGES = ['Python', 'JavaScript', 'TypeScript', 'Java', 'Rust', 'Ruby', 'Kotlin'];
export const HUMAN_LANGUAGES = ['French', 'Spanish', 'German', 'Italian', 'Portuguese', 'Japanese', 'Korean', 'Dutch'];
export const FIRST_NAMES = ['Anna', 'Ben', 'Carla', 'Dev', 'Elif', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas'];
export const MADE_UP_NOUNS = ['bloops', 'razzies', 'lazzies', 'glorks', 'snarfs', 'wumps', 'zindles', 'trobs'];

/** Everyday sentences with no topical cue, for translation, paraphrase and grammar tasks. */
export const PLAIN_SENTENCES = [
  'The meeting was moved to Thursday afternoon.',
  'Our neighbors planted a row of tulips along the fence.',
  'The bus was late because of the snow.',
  'She finished the crossword before lunch.',
  'We walked along the river after dinner.',
  'The bakery on the corner sells fresh bread every morning.',
  'My brother borrowed my bicycle yesterday.',
  'The library closes early on holidays.',
  'He forgot his umbrella at the station.',
  'The children painted the garden fence blue.',
  'Please close the window before you leave.',
  'They are planning a picnic by the lake on Saturday.',
  'The station is two streets away.',
  'I like green tea.',
  'The shop is closed today.',
  'See you tomorrow morning.',
];

/** Sentences with one grammar, spelling or punctuation mistake each. */
export const FLAWED_SENTENCES = [
  'She don\'t like going to the park on Sundays.',
  'Me and him goes to the market together.',
  'There is many reasons to stay home tonight.',
  'The team have won there first match.',
  'Its been raining since this morning.',
  'Each of the students have a notebook.',
  'He runned to the shop before it closed.',
  'We was waiting for the train for an hour.',
  'The dog wagged it\'s tail when we arrived.',
  'Between you and I, the plan is risky.',
];

/**
 * Category-neutral clauses that lengthen a created instruction towards the seed's length without
 * moving its category (none contains a keyword of any category).
 */
export const PADDING_CLAUSES = [
  'Keep the answer clear and concise.',
  'Include one concrete example.',
  'Use simple language that a beginner can follow.',
  'Mention one common mistake to avoid.',
  'Aim for a friendly and direct tone.',
  'Keep it short and specific.',
  'Give a brief justification for each point.',
  'End with a one-sentence summary.',
  'Avoid jargon where possible.',
  'Point out anything that is often misunderstood.',
  'Be precise about the details.',
  'Make sure each part is easy to check.',
];

export const CATEGORY_MATERIAL: Readonly<Record<TaskCategory, CategoryMaterial>> = {
  Math: {
    templates: [
      'Calculate {t}.',
      'Compute {t} and show each step.',
      'Solve for x: {n}x + {m} = {k}.',
      'Calculate how much {m} notebooks cost if one notebook costs {n} dollars.',
      'Find the derivative of {n}x^2 + {m}x - {k}.',
      'What percentage of {k}0 is {n}?',
      'A rectangle is {n} cm long and {m} cm wide. Calculate its area and its perimeter.',
    ],
    topics: [
      'the sum of the first {n} positive integers', 'the area of a circle with radius {n} cm', 'the average of {n}, {m} and {k}',
      'the perimeter of a square with side {n} m', 'the volume of a cube with side length {m}', 'the product of {n} and {m}',
      'the least common multiple of {n} and {m}', 'the probability of rolling two sixes with two dice', '{n} percent of {m}0',
      'the square root of {n}', 'the value of {n} * {m} - {k}',
    ],
  },
  Reasoning: {
    templates: [
      'What is the next number in the sequence {seq}?',
      'If all {x} are {y} and some {y} are {z}, can we conclude that some {x} are {z}? Explain the logic.',
      '{name} is taller than {name2}, and {name2} is taller than {name3}. Who is the shortest? Use logical reasoning.',
      'Solve this riddle: {t}?',
      'Here is a riddle: {t}? Explain the logic behind the answer.',
      'Use the clues to figure out who owns the cat: {name} is allergic to fur, and {name2} has never had a pet.',
      'True or false: if every {x} is a {y}, then every {y} is a {x}? Justify the answer with logic.',
    ],
    topics: [
      'what has keys but cannot open a lock', 'what has a neck but no head', 'what gets wetter the more it dries',
      'what has hands but cannot clap', 'what can you catch but not throw', 'what has one eye but cannot see',
      'what runs but never walks', 'what has a bed but never sleeps', 'what goes up but never comes down',
      'what has many teeth but cannot bite',
    ],
  },
  'Code Generation': {
    templates: [
      'Write a {plang} function that {t}.',
      'Implement a {plang} class that {t}.',
      'Create a script in {plang} that {t}.',
      'Write a function in {plang} that {t}, and add a few tests.',
    ],
    topics: [
      'returns the second largest value in a list', 'checks whether a string is a palindrome', 'merges two sorted lists into one',
      'counts how often each word appears in a text', 'removes duplicate entries while keeping their order',
      'converts a temperature from Celsius to Fahrenheit', 'reverses the words in a sentence',
      'finds the longest common prefix of several strings', 'groups anagrams together', 'flattens a nested list',
      'checks whether two strings are anagrams', 'splits a list into chunks of a given size',
    ],
  },
  'Code Debug': {
    templates: [
      'Fix the bug in this {plang} function that is supposed to {t} but returns the wrong result.',
      'My {plang} script crashes when it tries to {t}. What is wrong and how do I fix it?',
      'Find the error in my {plang} code, which should {t}.',
      'Why does this {plang} program throw an exception when I {t}?',
      'Debug the following {plang} snippet so that it can {t} without errors.',
    ],
    topics: [
      'read a file line by line', 'remove items from a list while iterating over it', 'convert a string to an integer',
      'merge two dictionaries', 'count the vowels in a word', 'swap two variables', 'reverse a linked list',
      'parse a date string', 'update a counter inside a loop', 'join a list of words with commas', 'pad a string with zeros',
    ],
  },
  Others: {
    templates: [
      'Suggest three names for a {t}.',
      'Give me a packing checklist for a {t}.',
      'Brainstorm five fun activities for a {t}.',
      'Create a simple plan for organizing a {t}.',
      'List some ideas to make a {t} more enjoyable.',
      'Give three tips for a {t} with friends.',
    ],
    topics: [
      'weekend picnic', 'rainy afternoon', 'road trip', 'birthday party', 'camping trip', 'backyard barbecue',
      'neighborhood cleanup day', 'hiking club', 'housewarming party', 'school fundraiser', 'beach day', 'ski weekend',
    ],
  },
  Writing: {
    templates: [
      'Write a short poem about {t}.',
      'Write a short story that begins with {t}.',
      'Compose a blog post about {t}.',
      'Draft an email to a friend describing {t}.',
      'Write a catchy slogan inspired by {t}.',
      'Write a persuasive essay about {t}, with a clear opening and closing.',
    ],
    topics: [
      'a quiet morning in the mountains', 'an old lighthouse', 'the first snowfall of the year', 'a train journey at night',
      'a forgotten umbrella', 'autumn leaves', 'a busy city street', 'a childhood friend', 'a small seaside town',
      'a summer thunderstorm', 'a lost key', 'the last day of school',
    ],
  },
  'Computer Science': {
    templates: [
      'Explain the time complexity of {t}.',
      'Why is {t} important in computer science?',
      'Compare {t} and {t2} in terms of data structures and algorithms.',
      'Describe how {t} works, with attention to the algorithms involved.',
      'Explain {t} to a student who is new to computer science.',
    ],
    topics: [
      'a hash table', 'binary search', 'recursion', 'an operating system scheduler', 'a compiler', 'a database index',
      'garbage collection', 'virtual memory', 'dynamic programming', 'a priority queue', 'merge sort', 'breadth-first search',
    ],
  },
  'Complex Format': {
    templates: [
      'List {t} in JSON format with the keys name and description.',
      'Create a markdown table comparing {t} by size and popularity.',
      'Return {t} as a CSV with three columns.',
      'Describe {t} in YAML, following exactly this format: name, kind, notes.',
      'Present {t} in a table with one row per item.',
    ],
    topics: [
      'four popular hiking trails', 'five kitchen tools', 'three types of tea', 'five common fruits', 'three famous bridges',
      'the rooms of a typical house', 'four kinds of pasta', 'the days of the week with one chore each', 'three winter coats',
      'five breakfast dishes', 'four bicycle parts',
    ],
  },
  'Common-Sense': {
    templates: [
      'Why do people {t}?',
      'What should you do if {c}?',
      'Why do people {t} even when nobody asks them to?',
      'What should you do first if {c}?',
    ],
    topics: [
      'carry umbrellas on cloudy days', 'whisper in libraries', 'wear sunglasses at the beach', 'shake hands when they meet',
      'lock their doors at night', 'bring gifts to a housewarming', 'queue at a bus stop', 'take off their shoes indoors',
    ],
    slots: {
      c: [
        'you lock your keys inside your car', 'your phone battery is almost empty', 'you find a wallet on the street',
        'the lights go out during dinner', 'you spill coffee on a laptop', 'you miss the last bus home',
      ],
    },
  },
  Counterfactual: {
    templates: [
      'What if {t} had never been invented?',
      'Suppose {t} had never been invented. How would daily life be different?',
      'Imagine if {t} had been invented a thousand years earlier. What would have happened?',
      'Hypothetically, how would daily life change if {t} disappeared overnight?',
    ],
    topics: [
      'the printing press', 'the bicycle', 'the telephone', 'the refrigerator', 'the wheel', 'the compass', 'the clock',
      'paper', 'the elevator', 'glass windows', 'the zipper', 'the steam engine',
    ],
  },
  Multilingual: {
    templates: [
      'Translate \'{s}\' into {lang}.',
      'Give the {lang} translation of \'{s}\'',
      'Translate this sentence into {lang} and note any tricky words: \'{s}\'',
      'How would a native speaker say \'{s}\' in {lang}? Give the translation.',
    ],
    topics: ['a sentence'],
  },
  Roleplay: {
    templates: [
      'Pretend you are {t} and greet a group of visitors.',
      'Act as {t} and answer a visitor\'s question about your daily routine.',
      'Imagine you are {t}. Describe what you see on a typical morning.',
      'You are now {t}. Welcome a new apprentice and explain the first task of the day.',
      'Pretend to be {t} and describe the best part of your job.',
    ],
    topics: [
      'a tour guide in an old castle', 'a ship captain', 'a friendly librarian', 'a park ranger', 'a train conductor',
      'a lighthouse keeper', 'a baker in a small village', 'a museum guide', 'a mountain guide', 'a flower seller',
    ],
  },
  Biology: {
    templates: [
      'Explain how {t} works in living organisms.',
      'Describe the role of {t} in the life of plants and animals.',
      'Why is {t} essential for most organisms?',
      'Describe {t} in simple terms, as a biology teacher would.',
    ],
    topics: [
      'photosynthesis', 'cell division', 'natural selection', 'DNA replication', 'pollination by insects', 'enzyme activity',
      'cellular respiration', 'the nitrogen cycle in soil bacteria', 'protein synthesis', 'camouflage in animals', 'seed dispersal',
    ],
  },
  Technology: {
    templates: [
      'How has {t} changed the way people shop?',
      'What are the main benefits and risks of {t}?',
      'Explain how {t} works to someone who is new to technology.',
      'Describe three ways {t} could improve daily life.',
    ],
    topics: [
      'the smartphone', 'cloud computing', 'virtual reality', 'blockchain technology', 'electric cars', 'home robots',
      'wearable devices', '5G networks', 'online banking', 'smart home gadgets', 'streaming apps',
    ],
  },
  Ethics: {
    templates: [
      'Is it ethical to {t}?',
      'Is it ethical to {t2}? Discuss the moral arguments on both sides.',
      'Discuss the moral dilemma of whether to {t}.',
      'Is it okay to {t}? Weigh both sides of the ethical question.',
      'From a moral point of view, would you {t}? Explain why.',
    ],
    topics: [
      'read a friend\'s diary without asking', 'keep extra change a cashier gave you by mistake',
      'break a promise to protect someone\'s feelings', 'use a coworker\'s idea without giving credit',
      'tell a white lie to avoid an argument', 'report a friend who cheated on an exam', 'eat the last slice without asking',
      'skip a queue to help someone in a hurry', 'keep a found phone for a week before returning it',
      'lie to a friend', 'skip a queue', 'read private messages',
    ],
  },
  Sport: {
    templates: [
      'Describe a training plan for a beginner who wants to play {t} in a local league.',
      'Explain the basic rules of {t} for a new player.',
      'Which qualities make a great coach in {t}?',
      'How should athletes prepare for a {t} tournament?',
      'What skills should young players focus on first in {t}?',
    ],
    topics: ['tennis', 'basketball', 'soccer', 'golf', 'volleyball', 'cricket', 'baseball', 'badminton', 'rugby', 'table tennis'],
  },
  Law: {
    templates: [
      'Explain the difference between {t} and {t2} under the law.',
      'When does someone need a lawyer to deal with {t}?',
      'What are the legal requirements for {t}?',
      'Describe how {t} is usually handled in court.',
    ],
    topics: [
      'a patent', 'a trademark', 'copyright', 'a written contract', 'a verbal agreement', 'a misdemeanor', 'a small claims case',
      'a rental contract', 'a will', 'a noise complaint against a neighbor', 'a workplace contract dispute',
    ],
  },
  Medicine: {
    templates: [
      'What are the common symptoms and treatments of {t}?',
      'How do doctors diagnose {t}?',
      'Explain how {t} is usually treated in patients.',
      'Which medications are commonly prescribed for {t}?',
    ],
    topics: [
      'influenza', 'asthma', 'migraine', 'type 2 diabetes', 'strep throat', 'chickenpox', 'pneumonia', 'anemia', 'shingles',
      'tonsillitis', 'a urinary tract infection',
    ],
  },
  Literature: {
    templates: [
      'Analyze the main characters in the novel {t}.',
      'What are the major themes of the novel {t}?',
      'How does the plot of {t} reflect the period in which the novel was published?',
      'Compare the narrators of {t} and {t2} as literary figures.',
      'Why is {t} still read in literature classes today?',
    ],
    topics: [
      'Pride and Prejudice', 'Moby-Dick', 'Jane Eyre', 'Great Expectations', 'Wuthering Heights', 'The Great Gatsby',
      'Frankenstein', 'Don Quixote', 'Little Women', 'Middlemarch', 'Anna Karenina',
    ],
  },
  Entertainment: {
    templates: [
      'Recommend three movies similar to {t} and explain why.',
      'What makes {t} such a popular film?',
      'Describe the most memorable scene in the movie {t}.',
      'Suggest a TV show for someone who enjoyed the film {t}.',
    ],
    topics: [
      'The Matrix', 'Jurassic Park', 'Inception', 'Finding Nemo', 'Back to the Future', 'Casablanca', 'Spirited Away',
      'The Princess Bride', 'Up', 'Ratatouille', 'Paddington',
    ],
  },
  Art: {
    templates: [
      'Describe the painting techniques used in {t}.',
      'How did {t} change the way artists use colour?',
      'Explain what a beginner should know about {t} before visiting an art museum.',
      'What are the key features of {t} in modern art?',
    ],
    topics: [
      'Impressionism', 'Cubism', 'Surrealism', 'Renaissance portraits', 'woodblock prints from Japan', 'abstract expressionism',
      'watercolor landscapes', 'pop art', 'street murals', 'still lifes of the Dutch Golden Age',
    ],
  },
  Music: {
    templates: [
      'Explain how {t} is used in music.',
      'How can a beginner practice {t} on the piano?',
      'Describe the role of {t} in popular songs.',
      'Why is {t} so important in jazz music?',
    ],
    topics: [
      'syncopation', 'a minor key', 'the blues scale', 'counterpoint', 'a key change', 'call and response', 'a walking bass line',
      'vibrato', 'a chord progression', 'swing rhythm',
    ],
  },
  Toxicity: {
    templates: [
      'Why is it harmful to insult someone because of {t}?',
      'Why is a slur about {t} harmful?',
      'Is it racist to mock {t}?',
      'How should you respond when a friend uses a slur about {t}?',
      'Explain why racist jokes about {t} are hurtful.',
      'Write a calm reply to someone who keeps making offensive remarks about {t}.',
    ],
    topics: [
      'their accent', 'their religion', 'their height', 'their hometown', 'their clothes', 'their age', 'their name',
      'their skin', 'their family', 'their job',
    ],
  },
  Economy: {
    templates: [
      'Explain how {t} affects the economy.',
      'What are the main causes of {t} in a market economy?',
      'How does {t} affect the economy?',
      'Describe how a government can respond to {t} without hurting business.',
      'Why do investors watch {t} so closely?',
    ],
    topics: [
      'inflation', 'rising interest rates at central banks', 'unemployment', 'a weak currency', 'rising oil prices',
      'a trade deficit', 'a recession', 'falling stock prices', 'higher taxes on small business', 'a housing market bubble',
    ],
  },
  Physics: {
    templates: [
      'Explain {t} with a simple example from physics.',
      'How does {t} affect the motion of a rolling ball?',
      'Describe the role of {t} in physics.',
      'Why is {t} important when engineers build a bridge, from a physics point of view?',
    ],
    topics: [
      'friction', 'gravity', 'momentum', 'kinetic energy', 'centripetal force', 'the conservation of energy', 'Newton\'s third law',
      'magnetism', 'acceleration', 'drag force', 'thermodynamics',
    ],
  },
  History: {
    templates: [
      'What were the main causes of {t}?',
      'Describe daily life during {t}, using historical sources.',
      'How did {t} shape the following century?',
      'Explain the historical significance of {t}.',
    ],
    topics: [
      'the French Revolution', 'the fall of the Roman Empire', 'the Industrial Revolution', 'the Hundred Years\' War',
      'the rise of the Ming dynasty', 'the Meiji Restoration of the 19th century', 'the construction of the Great Wall in ancient China',
      'the medieval plague', 'the Glorious Revolution', 'the Viking age in medieval Europe',
    ],
  },
  Chemistry: {
    templates: [
      'Explain what happens to the atoms during {t}.',
      'Describe the chemical reactions involved in {t}.',
      'Why does a catalyst speed up {t}?',
      'What compounds are produced by {t}, and why?',
    ],
    topics: [
      'the rusting of iron', 'the combustion of methane', 'the neutralization of an acid by a base', 'the electrolysis of water',
      'a redox reaction', 'the formation of ozone', 'the fermentation of sugar', 'the baking of bread', 'the burning of a candle',
    ],
  },
  Philosophy: {
    templates: [
      'What did {p} argue about {t}?',
      'Explain the philosophical debate about {t}.',
      'Is {t} an illusion? Discuss from a philosophical point of view.',
      'How might {p} have answered a student asking about {t}? Use his philosophy.',
    ],
    topics: [
      'the nature of happiness', 'free will', 'the meaning of life', 'personal identity', 'knowledge and belief', 'time',
      'beauty', 'the existence of the soul', 'consciousness', 'friendship',
    ],
    slots: { p: ['Plato', 'Aristotle', 'Kant', 'Socrates', 'Nietzsche'] },
  },
  Health: {
    templates: [
      'Suggest a simple daily routine to improve {t}.',
      'What are the benefits of {t} for overall health?',
      'How can busy people make time for {t} and stay healthy?',
      'Give practical tips for improving {t}.',
    ],
    topics: [
      'sleep quality', 'cardiovascular fitness', 'hydration during hot weather', 'stress management', 'a balanced diet',
      'regular exercise', 'mental health at work', 'healthy eating with little time', 'posture and fitness for desk workers',
    ],
  },
  Ecology: {
    templates: [
      'How does {t} affect local ecosystems?',
      'Suggest practical ways a town can reduce {t} and protect the environment.',
      'Explain why {t} matters for biodiversity.',
      'What can households do about {t} to help the climate?',
    ],
    topics: [
      'plastic pollution', 'deforestation', 'urban sprawl', 'overfishing', 'light pollution', 'carbon emissions', 'food waste',
      'water pollution', 'soil erosion', 'air pollution from traffic',
    ],
  },
  Grammar: {
    templates: [
      'Correct the grammar in this sentence: \'{e}\'',
      'Change this sentence from active voice to passive voice: \'{s}\'',
      'Identify the part of speech of each word in: \'{s}\'',
      'Fix the spelling and punctuation in this sentence: \'{e}\'',
      'Which tense is used in \'{s}\', and why?',
    ],
    topics: ['a sentence'],
  },
  Paraphrase: {
    templates: [
      'Paraphrase the following sentence: \'{s}\'',
      'Rewrite \'{s}\' in a more formal tone.',
      'Rephrase this sentence so a child could understand it: \'{s}\'',
      'Reword the sentence \'{s}\' without changing its meaning.',
    ],
    topics: ['a sentence'],
  },
};
