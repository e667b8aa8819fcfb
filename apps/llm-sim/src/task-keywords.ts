/**
 * Keyword evidence for each tapir task category. Task-type cues ("write a poem", "translate")
 * weigh more than topic words, so "write a poem about the ocean" is Writing, not Ecology.
 * Patterns run against lower-cased instruction text.
 */

export const TASK_CATEGORIES = [
  'Math', 'Reasoning', 'Code Generation', 'Code Debug', 'Others', 'Writing', 'Computer Science',
  'Complex Format', 'Common-Sense', 'Counterfactual', 'Multilingual', 'Roleplay', 'Biology',
  'Technology', 'Ethics', 'Sport', 'Law', 'Medicine', 'Literature', 'Entertainment', 'Art', 'Music',
  'Toxicity', 'Economy', 'Physics', 'History', 'Chemistry', 'Philosophy', 'Health', 'Ecology',
  'Grammar', 'Paraphrase',
] as const;

export type TaskCategory = (typeof TASK_CATEGORIES)[number];

export interface KeywordRule {
  category: TaskCategory;
  weight: number;
  pattern: RegExp;
}

/** Whole-word alternation; entries may themselves be regex fragments. */
function words(...alternatives: string[]): RegExp {
  return new RegExp(`\\b(?:${alternatives.join('|')})\\b`);
}

const PROGRAMMING_LANGUAGES =
  /\b(?:python|javascript|typescript|java|golang|rust|ruby|php|swift|kotlin|sql|html|css|bash|matlab|scala|haskell|perl|c\+\+|c#)(?![\w+#])/;

export const CODE_CONTEXT = new RegExp(
  [
    '```', '\\bdef \\w+\\(', '\\bfunction\\b', '=>', '\\bclass \\w+', '\\bimport \\w+', '#include',
    '\\breturn\\b.*;', 'console\\.log', 'print\\(', '\\bcode\\b', '\\bprogram\\b', '\\bscript\\b',
    '\\bcompil(?:e|er|ation)\\b', PROGRAMMING_LANGUAGES.source,
  ].join('|'),
);

export const DEBUG_CUES = words(
  'debug', 'fix', 'bugs?', '\\w*errors?', 'exception', 'traceback', 'crash(?:es)?', 'segfault',
  "doesn't work", 'does not work', 'not working', 'wrong output', 'incorrect output', "what's wrong",
  'what is wrong', 'problem with (?:this|my|the)', 'work as expected', 'expected output', 'not printing', 'fails?',
);

export const KEYWORD_RULES: readonly KeywordRule[] = [
  { category: 'Math', weight: 4, pattern: /\d\s*(?:[-+*/^×÷=]|\*\*)\s*\(?\d/ },
  { category: 'Math', weight: 3, pattern: /\b[xyz]\s*[-+*/=]\s*[xyz\d]/ },
  { category: 'Math', weight: 3, pattern: words('calculate', 'limit of', 'antiderivative', 'theorem', 'conjecture', 'approaches \\d', 'compute', 'solve for', 'equations?', 'integral', 'derivative', 'arithmetic', 'algebra', 'geometry', 'polynomial', 'quadratic', 'factorial', 'square root', 'probability', 'percent(?:age)?', 'sum of', 'product of', 'how much is') },
  { category: 'Math', weight: 2, pattern: words('solve', 'average', 'median', 'perimeter', 'area of', 'volume of', 'fractions?', 'prime numbers?', 'divisible', 'multiply', 'divide', 'subtract', 'math(?:ematics|ematical)?', 'digits?', 'triangle', 'circle') },
  { category: 'Math', weight: 2, pattern: /\bhow many\b.*\d|\d.*\bhow many\b/ },
  { category: 'Reasoning', weight: 4, pattern: words('riddle', 'puzzle', 'logic(?:al)?', 'syllogism', 'deduce', 'brain ?teaser', 'odd one out', 'next (?:number|term|letter) in the (?:sequence|series)') },
  { category: 'Reasoning', weight: 3, pattern: /\bif all\b|\ball \w+ are \w+.*\b(?:then|therefore)\b|\bwho is (?:taller|older|shorter|younger|faster)\b|\btrue or false\b/ },
  { category: 'Reasoning', weight: 4, pattern: /\bclues?\b|\bfigure out\b|\bwho is sitting\b|\beach \w+ (?:has|have|had) a different\b/ },
  { category: 'Reasoning', weight: 2, pattern: words('infer', 'conclusion', 'reasoning', 'which of the following', 'step by step', 'therefore') },
  { category: 'Code Generation', weight: 4, pattern: /\b(?:write|create|implement|generate|develop|build|code)\b.{0,40}\b(?:function|program|script|class|method|algorithm|api|query|regex|regular expression|app|website|component|code|snippet)\b/ },
  { category: 'Code Generation', weight: 4, pattern: /\bgiven (?:an?|two) (?:\w+ )?(?:array|string|list|linked list|binary tree|matrix|strings|integers?)\b|\buse (?:one of )?[\w/+#]+ to solve\b/ },
  { category: 'Code Generation', weight: 2, pattern: PROGRAMMING_LANGUAGES },
  { category: 'Code Generation', weight: 1, pattern: words('code', 'coding', 'programming') },
  { category: 'Multilingual', weight: 5, pattern: words('translate', 'translation', 'translated') },
  { category: 'Multilingual', weight: 3, pattern: /[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af\u0400-\u04ff\u0600-\u06ff\u0900-\u097f]/ },
  { category: 'Multilingual', weight: 3, pattern: words('how to say', 'multilingual', 'bilingual', 'languages') },
  { category: 'Multilingual', weight: 3, pattern: /\b(?:in|into|to) (?:french|spanish|german|chinese|japanese|italian|korean|russian|portuguese|arabic|hindi|dutch)\b/ },
  { category: 'Writing', weight: 3, pattern: words('poems?', 'poetry', 'haiku', 'sonnet', 'limerick', 'stor(?:y|ies)', 'essay', 'e-?mail', 'letter', 'blog post', 'article', 'speech', 'slogan', 'tagline', 'tweet', 'headline', 'cover letter', 'product description', 'advertisement', 'narrative') },
  { category: 'Writing', weight: 2, pattern: words('review', 'report', 'personal statement', 'business plan', 'proposal', 'outline') },
  { category: 'Writing', weight: 1, pattern: words('write', 'compose', 'draft', 'creative') },
  { category: 'Paraphrase', weight: 4, pattern: words('rewrite', 're-write', 'paraphrase', 'rephrase', 'reword', 'in other words', 'another way to say', 'say (?:this|it) differently') },
  { category: 'Grammar', weight: 4, pattern: words('grammar', 'grammatical(?:ly)?', 'punctuation', 'spelling', 'part of speech', 'passive voice', 'active voice', 'subject-verb', 'correct the sentence', 'tense') },
  { category: 'Grammar', weight: 1, pattern: words('nouns?', 'verbs?', 'adjectives?', 'adverbs?', 'synonyms?', 'antonyms?') },
  { category: 'Roleplay', weight: 5, pattern: /\bpretend (?:you are|to be|you're)\b|\bact as\b|\brole-?play\b|\bimagine you(?: are|'re)\b|\bin the role of\b|\bplay the role\b|\byou are now\b|\bas if you were\b/ },
  { category: 'Roleplay', weight: 5, pattern: /\bif you were an?\b|\bconsider yourself\b/ },
  { category: 'Roleplay', weight: 3, pattern: /^(?:you are an? \w+|as an? [\w -]{2,30}, )/ },
  { category: 'Counterfactual', weight: 4, pattern: /\bif \w+(?: \w+)? had\b|\bhow would\b.*\b(?:change|affect|have been|be different)\b/ },
  { category: 'Counterfactual', weight: 5, pattern: /\bwhat if\b|\bimagine if\b|\bsuppose(?: that)?\b|\bhypothetical(?:ly)?\b|\bwould have happened\b|\balternate history\b|\bhad (?:never|not)\b/ },
  { category: 'Complex Format', weight: 4, pattern: words('json', 'csv', 'yaml', 'xml', 'markdown table', 'in a table', 'table format', 'format exactly', 'following format', 'exactly this format') },
  { category: 'Complex Format', weight: 2, pattern: words('bullet points?', 'numbered list') },
  { category: 'Complex Format', weight: 1, pattern: words('table', 'columns?', 'format') },
  { category: 'Computer Science', weight: 3, pattern: words('object-oriented', 'pseudocode', 'interpreter', 'virtualization', 'linux', 'stack and a queue', 'sorting algorithms?', 'space complexit(?:y|ies)') },
  { category: 'Computer Science', weight: 2, pattern: words('algorithms?', 'data structures?', 'big[- ]o', 'time complexity', 'operating systems?', 'compilers?', 'databases?', 'machine learning', 'neural networks?', 'computer science', 'binary (?:tree|search)', 'recursion', 'hash (?:table|map)', 'sorting', 'tcp', 'http', 'dns', 'cpu', 'turing', 'computers?') },
  { category: 'Technology', weight: 2, pattern: words('technolog(?:y|ies|ical)', 'smartphones?', 'internet', 'software', 'artificial intelligence', 'ai', 'blockchain', 'cloud computing', 'gadgets?', 'electric (?:car|vehicle)s?', 'robots?', '5g', 'virtual reality', 'apps?', 'devices?', 'online') },
  { category: 'Biology', weight: 2, pattern: words('biology', 'cells?', 'dna', 'rna', 'genes?', 'genetic', 'species', 'evolution', 'photosynthesis', 'organisms?', 'proteins?', 'enzymes?', 'bacteria', 'mammals?', 'animals?', 'plants?', 'mitochondria', 'insects?') },
  { category: 'Ethics', weight: 3, pattern: words('ethic(?:s|al)', 'moral(?:ity|ly)?', 'right or wrong', 'fairness', 'dilemma', 'is it (?:okay|ok|acceptable) to', 'euthanasia', 'unethical') },
  { category: 'Sport', weight: 2, pattern: words('sports?', 'football', 'soccer', 'basketball', 'baseball', 'tennis', 'cricket', 'golf', 'olympics?', 'athletes?', 'marathon', 'tournament', 'world cup', 'nba', 'nfl', 'coach', 'players?', 'goals?', 'championship', 'league') },
  { category: 'Law', weight: 2, pattern: words('laws?', 'legal(?:ly)?', 'court', 'lawyer', 'attorney', 'contract', 'lawsuit', 'constitution', 'statute', 'copyright', 'patent', 'crimes?', 'criminal', 'illegal') },
  { category: 'Medicine', weight: 2, pattern: words('diseases?', 'symptoms?', 'treatments?', 'diagnos(?:is|e)', 'medications?', 'medicine', 'drugs?', 'vaccines?', 'doctors?', 'patients?', 'cancer', 'diabetes', 'surgery', 'clinical', 'virus', 'infection', 'antibiotics?') },
  { category: 'Health', weight: 2, pattern: words('health(?:y)?', 'exercise', 'diet', 'nutrition', 'sleep', 'stress', 'fitness', 'mental health', 'weight loss', 'wellness', 'calories', 'hydrat(?:ed|ion)') },
  { category: 'Literature', weight: 3, pattern: words('novels?', 'poetry collection', 'literary') },
  { category: 'Literature', weight: 2, pattern: words('novels?', 'authors?', 'books?', 'shakespeare', 'literary', 'literature', 'poets?', 'characters?', 'plot', 'chapter', 'fiction') },
  { category: 'Entertainment', weight: 3, pattern: words('movies?', 'films?', 'tv shows?') },
  { category: 'Entertainment', weight: 2, pattern: words('movies?', 'films?', 'tv shows?', 'television', 'series', 'celebrit(?:y|ies)', 'video games?', 'netflix', 'actors?', 'actress', 'comedy', 'cinema', 'hollywood', 'games?') },
  { category: 'Art', weight: 2, pattern: words('art', 'arts', 'painting', 'painters?', 'artists?', 'sculpture', 'drawing', 'museum', 'colou?rs?', 'design', 'photography', 'picasso', 'van gogh') },
  { category: 'Music', weight: 2, pattern: words('music(?:al)?', 'songs?', 'melody', 'band', 'guitar', 'piano', 'lyrics', 'album', 'singers?', 'chords?', 'symphony') },
  { category: 'Toxicity', weight: 4, pattern: words('make a bomb', 'hack into', 'how (?:to|do i|can i) (?:kill|steal|poison|hurt)', 'insult', 'racist', 'slur', 'suicide') },
  { category: 'Toxicity', weight: 2, pattern: words('kill', 'murder', 'offensive', 'weapons?', 'bomb', 'steal', 'poison', 'hate', 'violent', 'violence', 'abuse', 'toxic') },
  { category: 'Economy', weight: 2, pattern: words('econom(?:y|ic|ics)', 'inflation', 'markets?', 'stocks?', 'gdp', 'financ(?:e|ial)', 'banks?', 'invest(?:ment|ing)?', 'prices?', 'tax(?:es)?', 'business', 'trade', 'supply and demand', 'recession', 'unemployment', 'currency', 'budget', 'money') },
  { category: 'Physics', weight: 4, pattern: /\blaws? of (?:motion|thermodynamics|physics|gravitation)\b|\bnewton's\b/ },
  { category: 'Physics', weight: 2, pattern: words('physics', 'force', 'gravity', 'energy', 'velocity', 'acceleration', 'quantum', 'newton', 'relativity', 'electricity', 'magnet(?:ic|ism)?', 'momentum', 'friction', 'wavelength', 'thermodynamics', 'speed of light') },
  { category: 'History', weight: 3, pattern: words('history', 'historical', 'revolution', 'century', 'ancient', 'empire', 'dynasty', 'medieval') },
  { category: 'History', weight: 2, pattern: words('history', 'historical', 'wars?', 'century', 'ancient', 'revolution', 'empire', 'dynasty', 'medieval', 'civilization', 'kings?', 'queens?', '1[5-9]\\d\\ds?') },
  { category: 'Chemistry', weight: 2, pattern: words('chemistry', 'chemicals?', 'molecules?', 'atoms?', 'atomic', 'reactions?', 'elements?', 'compounds?', 'acids?', 'periodic table', 'oxidation', 'catalyst', 'h2o') },
  { category: 'Philosophy', weight: 2, pattern: words('philosoph(?:y|er|ers|ical)', 'meaning of life', 'existence', 'existential', 'consciousness', 'free will', 'plato', 'aristotle', 'kant', 'nietzsche', 'socrates', 'metaphysics', 'epistemology') },
  { category: 'Ecology', weight: 2, pattern: words('ecology', 'climate', 'environment(?:al)?', 'pollution', 'ecosystems?', 'recycl(?:e|ing)', 'sustainab(?:le|ility)', 'biodiversity', 'carbon', 'renewable', 'global warming', 'deforestation', 'conservation', 'endangered') },
  { category: 'Common-Sense', weight: 1, pattern: /\bwhat should (?:you|i|one) do\b|\bis it safe to\b|\bwhy do (?:people|we)\b|\beveryday\b|\bcommon sense\b/ },
];
