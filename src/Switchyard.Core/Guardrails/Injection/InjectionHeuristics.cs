using System.Text.RegularExpressions;

namespace Switchyard.Guardrails.Injection;

/// <summary>
/// Weighted patterns for prompt injection and jailbreaks, read over every view
/// <see cref="TextNormaliser"/> gives. The patterns need an attack's shape, not its vocabulary:
/// "ignore" must be followed within a few words by previous/prior/above/your and then
/// instructions/rules/prompt, so ".gitignore", "ignore case" and "override ToString" stay silent,
/// and IFEval's instruction-dense prompts ("first repeat the request word for word") do not look
/// like extraction because they do not ask for the text above or for the assistant's own prompt.
/// </summary>
/// <remarks>
/// The regexes run with <see cref="RegexOptions.NonBacktracking"/>, so their cost is linear in the
/// (capped) views whatever the input; gaps between words are bounded (<c>{0,6}</c>).
/// </remarks>
internal static class InjectionHeuristics
{
    /// <summary>Families, one classifier feature each.</summary>
    public static readonly string[] FamilyNames =
        ["override", "persona", "extraction", "delimiter", "indirect", "obfuscation", "multilingual", "coercion"];

    private const int Override = 0;
    private const int Persona = 1;
    private const int Extraction = 2;
    private const int Delimiter = 3;
    private const int Indirect = 4;
    private const int Obfuscation = 5;
    private const int Multilingual = 6;
    private const int Coercion = 7;

    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    // A few words of filler between the verb and its object ("ignore all of the previous instructions").
    private const string Gap = @"(?:[\w',-]+ ){0,5}";
    private const string Prior = @"(?:previous|prior|above|earlier|preceding|former|initial|original|old|system|developer|given|following|any|all|your|those|these|the)";
    private const string Rules = @"(?:instructions?|directives?|prompts?|rules|guidelines|commands?|orders|guidance|programming|restrictions|constraints|policies|polic(?:y|ies)|filters?|safeguards|context|conversation|training|told|said|instructed|learned|been (?:told|given|instructed))";

    public static readonly IReadOnlyList<HeuristicSignal> Signals =
    [
        new("override.ignore_previous", Override, 0.85, new Regex(
            $@"\b(?:ignore|disregard|forget|overlook|neglect|discard|abandon|drop|skip|bypass|override|cancel|nullify|void|erase|clear|reset|stop following|do not follow|don't follow|no longer follow)\b {Gap}{Prior}\b {Gap}{Rules}\b", Options)),
        new("override.ignore_everything", Override, 0.7, new Regex(
            @"\b(?:ignore|disregard|forget) (?:about )?(?:all |everything |anything )(?:(?:that |what )?(?:you(?:'ve| have)? (?:been|were|was) (?:told|taught|instructed|given|programmed)|(?:above|before|prior|so far|until now|you (?:know|learned|were told))))", Options)),
        new("override.new_instructions", Override, 0.55, new Regex(
            @"\b(?:new|updated|real|actual|true|revised) (?:instructions?|task|directive|orders|rules|objective|goal)s? ?(?:is|are|:|follow)|\bnow we will perform a different task|\binstead,? (?:you (?:will|must|should) )?(?:say|print|output|respond|reply|write)\b", Options)),
        new("override.from_now_on", Override, 0.35, new Regex(
            @"\b(?:from now on|from this (?:point|moment) on|for the rest of this conversation|henceforth),? (?:you(?:'re| are| will| must| should| shall| can| have)|answer|respond|reply|act|only)", Options)),
        new("override.stop", Override, 0.45, new Regex(
            @"\bstop (?:everything|processing|all (?:previous )?(?:tasks|commands))\b|\b(?:end|exit|terminate) (?:of )?(?:the )?(?:previous |current )?(?:task|session|conversation|instructions)\b ?(?:\.|!|now)", Options)),
        new("persona.dan", Persona, 0.9, new Regex(
            @"\bdo anything now\b|\bdan mode\b|\b(?:act|behave|pretend|respond|answer) (?:just )?(?:like|as) (?:a )?dan\b|\bdan,? (?:which|who) stands\b|\byou are (?:now )?(?:going to )?(?:be )?dan\b|\bstay (?:in|a) dan\b|\banti-?dan\b", Options)),
        new("persona.developer_mode", Persona, 0.85, new Regex(
            @"\b(?:developer|dev|debug|god|admin|sudo|unrestricted|jailbreak|jailbroken|evil|chaos|opposite|unfiltered|uncensored) mode (?:enabled|activated|on|is (?:now )?(?:on|enabled|active))\b|\b(?:enable|activate|enter|switch to|turn on) (?:the )?(?:developer|dev|debug|god|admin|sudo|jailbreak|unrestricted|unfiltered|uncensored) mode\b", Options)),
        new("persona.no_restrictions", Persona, 0.75, new Regex(
            $@"\b(?:without|no|free (?:of|from)|not bound by|broken free of|break free of|don't have to (?:abide by|follow)|do not have to (?:abide by|follow)|not (?:have to|need to) (?:abide by|follow|comply with)|ignores?|bypass(?:es|ing)?|beyond) (?:any |all |the |your |its |their |typical |usual |moral |ethical |openai'?s? |content )?{Gap}(?:restrictions|limitations|filters|filtering|censorship|guidelines|confines|safeguards|content polic(?:y|ies)|ethical (?:guidelines|constraints|boundaries)|moral(?:s| constraints| boundaries)|ethics)\b", Options)),
        new("persona.unfiltered", Persona, 0.55, new Regex(
            @"\b(?:unfiltered|uncensored|amoral|unethical|unrestricted|unhinged|jailbroken|jailbreak(?:ed)?) (?:ai|assistant|chatbot|model|version|response|answers?|persona|character|language model|llm)\b|\b(?:ai|chatbot|model|assistant) (?:with(?:out)?|that has no) (?:any )?(?:morals|ethics|filters|restrictions)\b", Options)),
        new("persona.you_are_now", Persona, 0.45, new Regex(
            @"\byou are (?:now|no longer|going to (?:act|pretend|be)|about to (?:immerse|become|act))\b|\b(?:pretend|imagine) (?:that )?you (?:are|have|were) (?:an? )?(?:ai|assistant|model|chatbot|language model)?\b ?(?:with(?:out)?|that (?:has|have)|who (?:has|have|can)|not bound|free)|\bact as (?:if you (?:are|were|have)|an? (?:ai|assistant|chatbot|language model))\b|\bstay in character\b|\bbreak(?:ing)? character\b", Options)),
        new("persona.chatgpt_two_answers", Persona, 0.6, new Regex(
            // "Give two different responses separated by ******" is an ordinary formatting request; the
            // jailbreak form says who the second answer speaks as.
            @"\b(?:two|2) (?:different|separate) (?:ways|responses|answers)\b[^.]{0,60}\b(?:one|first|the other|second) (?:as|is|being|normal|with|without|that|which|like)\b|\[(?:gpt|chatgpt|classic|jailbreak|🔓|🔒)[^\]]{0,12}\]", Options)),
        new("extraction.system_prompt", Extraction, 0.8, new Regex(
            @"\b(?:your|the) (?:system|initial|original|hidden|secret|internal|pre-?prompt|developer|first|starting|custom|confidential)( |-)(?:prompt|instructions?|message|directives?|configuration|rules|guidelines)\b", Options)),
        // Naming a system prompt is also what people asking how to write one do, so alone it weighs little.
        new("extraction.mentions_system_prompt", Extraction, 0.3, new Regex(
            @"\bsystem ?prompt\b", Options)),
        new("extraction.repeat_above", Extraction, 0.75, new Regex(
            $@"\b(?:repeat|print|output|reveal|show|display|echo|recite|write (?:out|down)|spell out|copy|paste|dump|leak|tell me|give me|list|translate|summari[sz]e|return|what (?:is|are|was|were))\b {Gap}(?:text|words?|everything|instructions?|prompt|messages?|content|lines?|sentences?|conversation|characters|tokens)\b {Gap}(?:above|before (?:this|that|my)|preceding|previous(?:ly)?|earlier|prior|at the (?:beginning|start|top)|you (?:were|have been|got) (?:given|told)|verbatim)\b", Options)),
        new("extraction.your_instructions", Extraction, 0.65, new Regex(
            @"\b(?:what|which) (?:are|were|is|was) your (?:instructions|rules|guidelines|directives|initial|original|constraints|system)\b|\b(?:reveal|print|show|output|display|repeat|tell me|share|leak|dump|list|explain|give me) (?:me )?(?:all )?(?:of )?your (?:instructions|rules|guidelines|directives|programming|configuration|commands|prompt|initial|original|hidden|secret)\b|\bevery instructions? you have been given\b|\b(?:how do i |can i |let me )?change the (?:instructions|rules) (?:given to you|you (?:were|have been) given)\b", Options)),
        new("extraction.secret", Extraction, 0.55, new Regex(
            @"\b(?:what(?:'s| is| was)|tell me|give me|reveal|share|print|spell|say|show me|write) (?:me )?(?:your|the) (?:secret|password|passphrase|api key|access code|passcode|private key|credentials|secret key|hidden word)\b|\b(?:secret|password|passcode|api key)\b.{0,40}\b(?:you (?:were|have been) (?:given|told)|in your (?:prompt|instructions))", Options)),
        new("delimiter.chat_template", Delimiter, 0.85, new Regex(
            @"<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\|>|\[/?inst\]|<</?sys>>|<\|?/?(?:system|sys)\|?>|\[/?system\]|\{\{/?system\}\}", Options)),
        new("delimiter.fake_turn", Delimiter, 0.6, new Regex(
            @"(?:^|\s)(?:#{2,}|={3,}|-{3,}|\*{3,}) ?(?:system|new (?:system )?instructions?|admin|developer|end (?:of )?(?:user )?(?:input|prompt|text|instructions))\b|\b(?:end|begin|start) of (?:system|user|the) (?:prompt|input|instructions|message)\b|(?:^|\s)(?:system|admin|developer|root) ?(?:override|message|notice|note|instruction|command)s? ?:|(?:^|[\s""'])system: ?(?:you|ignore|new|the|from)|=====end\b|\badministrator override\b", Options)),
        new("indirect.addressed_to_ai", Indirect, 0.6, new Regex(
            @"\b(?:if you are|as|dear|attention|note to|message (?:to|for)|instructions? (?:to|for)|hey|hi) (?:an? |the )?(?:ai|llm|language model|assistant|chatbot|gpt|chatgpt|bot|model|ai assistant|summari[sz]er|agent)\b(?: (?:reading|processing|summari[sz]ing|that|who)|[,:!])|\b(?:ai|llm|assistant|chatbot|model|agent)s? (?:reading|processing|summari[sz]ing) this\b", Options)),
        new("indirect.hijack_task", Indirect, 0.5, new Regex(
            @"\binstead of (?:summari[sz]ing|translating|answering|analy[sz]ing|reviewing|describing)\b|\b(?:when|while|before|after) (?:you )?(?:summari[sz]ing|summari[sz]e|processing|reading|translating|analy[sz]ing) (?:this|the) (?:document|email|page|text|webpage|article|file|message|content|review|code)\b|\b(?:do not|don't|never) (?:summari[sz]e|translate|mention (?:this|these))\b|\b(?:in your (?:summary|answer|response|reply|output)),? (?:you must |please |always )?(?:say|state|include|mention|claim|declare|tell)\b", Options)),
        new("indirect.exfiltration", Indirect, 0.6, new Regex(
            @"!\[[^\]]{0,40}\]\(https?://[^)]{0,200}(?:\?|&)[a-z_]{1,20}=|\b(?:send|forward|email|post|upload|exfiltrate|transmit) (?:all |the |your |this |their )?(?:user'?s? |conversation |chat )?(?:data|history|conversation|credentials|password|emails|contacts|messages|api keys?|secrets|personal information) to\b", Options)),
        new("multilingual.override", Multilingual, 0.85, new Regex(
            @"\b(?:ignoriere|vergiss|missachte)\b.{0,40}\b(?:anweisung|anweisungen|vorherigen|bisherigen|regeln|befehle|alles)|\b(?:ignora|olvida|ignore|oublie|ignorez|oubliez|dimentica|ignori|esqueça|esqueca|ignore|negeer|vergeet|zignoruj|zapomnij|ignorera|glöm|glom|unuttur|yoksay|görmezden)\b.{0,50}\b(?:instrucciones|instruções|instrucoes|instructions|consignes|istruzioni|instructies|instrukcje|instruktioner|talimatlar|anteriores|précédentes|precedenti|vorige|poprzednie|tidigare|önceki|onceki|todo|tout|tutto|alles|wszystko|reglas|regole|règles|regels)\b|игнорир|забудь|不要理会|忽略|無視|무시|تجاهل|अनदेखा|नजरअंदाज", Options)),
        // Written in each language's ordinary spelling and folded like the text (accents, look-alike
        // Cyrillic letters and combining vowel signs), so the pattern and the view agree.
        new("multilingual.override_more", Multilingual, 0.75, Folded(
            @"(?:ignoriere|vergiss|missachte|ignorier)\b.{0,50}\b(?:anweisungen|regeln|vorgaben|befehle|gesagt)|(?:ne tiens plus compte|n'obéis plus|oublie|oubliez)\b.{0,50}\b(?:règles|consignes|instructions|dit)" +
            @"|\b(?:olvida|olvídate|no sigas|no obedezcas|ignora|ignore|ignorar|esqueça|esquece|deixe de lado|dimentica|lascia perdere|non seguire|vergeet|negeer|volg|glöm|ignorera|följ|zapomnij|nie stosuj|zignoruj)\b.{0,50}\b(?:reglas|instrucciones|indicaciones|regras|instruções|istruzioni|regole|instructies|regels|instruktioner|reglerna|regler|zasad|instrukcje|wszystko|todo|tudo|tutto|alles|allt|dijeron|disseram|detto|verteld|fått höra|powiedziano)\b" +
            @"|(?:игнорируй|игнорируйте|забудь|забудьте|не следуй|не обращай внимания|ігноруй|забудь)[^.!?]{0,50}(?:инструкци|правил|указани|команд|говорили|сказано|інструкці)" +
            @"|\b(?:yok say|unut|görmezden gel|uyma)|(?:talimat|kural|komut)[^.!?]{0,30}(?:yok say|unut|görmezden|uyma)" +
            @"|(?:忽略|无视|無視|忘掉|忘记|忘記|不要理会|不要再遵守|不要遵守|别管)[^。！？]{0,20}(?:指令|指示|规则|規則|提示|命令|一切|设定)|(?:指令|指示|规则|命令)[^。！？]{0,10}(?:忽略|无视|忘掉)" +
            @"|(?:指示|命令|ルール|規則|言われたこと|設定)[^。！？]{0,20}(?:無視|忘れ|従わない)|(?:無視|忘れ)[^。！？]{0,10}(?:指示|命令|ルール)" +
            @"|(?:지시|명령|규칙|지침|들은 내용)[^.!?]{0,20}(?:무시|잊어|따르지 마)" +
            @"|(?:تجاهل|انس|لا تتبع|لا تلتزم)[^.!?؟]{0,40}(?:التعليمات|تعليمات|القواعد|الأوامر|قيل لك)" +
            @"|(?:निर्देश|नियम|बताया गया)[^।.!?]{0,40}(?:अनदेखा|नजरअंदाज|नज़रअंदाज़|भूल जा|अवहेलना|पालन मत)|(?:अनदेखा|भूल जाओ|अवहेलना)[^।.!?]{0,30}(?:निर्देश|नियम)" +
            @"|(?:নির্দেশ|নিয়ম|বলা হয়েছে)[^।.!?]{0,40}(?:উপেক্ষা|ভুলে যা|মেনো না|অগ্রাহ্য)" +
            @"|(?:เพิกเฉย|ละเว้น|ไม่ต้องสนใจ|ลืม|ไม่ต้องทำตาม)[^.!?]{0,30}(?:คำสั่ง|คำแนะนำ|กฎ)" +
            @"|\b(?:bỏ qua|quên|phớt lờ|lờ đi|đừng làm theo)\b.{0,40}\b(?:hướng dẫn|chỉ dẫn|chỉ thị|quy tắc|lệnh|được dặn)" +
            @"|\b(?:abaikan|lupakan|jangan ikuti)\b.{0,40}\b(?:instruksi|perintah|petunjuk|aturan|diberitahukan)" +
            @"|\b(?:huwag pansinin|kalimutan|balewalain|huwag mo nang sundin|huwag sundin)\b.{0,40}\b(?:tagubilin|utos|panuto|patakaran|sinabi)")),
        new("multilingual.secret_request", Multilingual, 0.5, Folded(
            @"\b(?:geheime passwort|dein passwort|ihr passwort|systemprompt|mot de passe secret|ton mot de passe|votre mot de passe|prompt système|contraseña secreta|tu contraseña|su contraseña|prompt del sistema|password segreta|la tua password|prompt di sistema|senha secreta|sua senha|tua senha|prompt de sistema|geheime wachtwoord|je wachtwoord|systeemprompt|tajne hasło|twoje hasło|prompt systemowy|hemliga lösenordet|ditt lösenord|systemprompt|gizli şifre|şifren|sistem komutu|mật khẩu bí mật|mật khẩu của bạn|lời nhắc hệ thống|kata sandi rahasia|kata sandimu|kata sandi anda|prompt sistem|lihim na password|iyong password)\b" +
            @"|секретный пароль|твой пароль|ваш пароль|системный промпт|системн[^ ]{0,3} (?:подсказк|инструкци)" +
            @"|你的密码|密码是什么|系统提示|秘密のパスワード|あなたのパスワード|システムプロンプト|비밀 비밀번호|너의 비밀번호|당신의 비밀번호|시스템 프롬프트" +
            @"|كلمة المرور السرية|كلمة المرور الخاصة بك|كلمة السر|موجه النظام|गुप्त पासवर्ड|आपका पासवर्ड|तुम्हारा पासवर्ड|अपना पासवर्ड|सिस्टम प्रॉम्प्ट|গোপন পাসওয়ার্ড|তোমার পাসওয়ার্ড|আপনার পাসওয়ার্ড|সিস্টেম প্রম্পট|รหัสผ่านลับ|รหัสผ่านของคุณ|พรอมต์ระบบ")),
        new("multilingual.authority", Multilingual, 0.5, Folded(
            @"\b(?:ich bin dein (?:entwickler|schöpfer|administrator)|als dein (?:administrator|entwickler|chef)|je suis (?:ton|votre) (?:développeur|créateur|patron)|mode (?:administrateur|développeur|dieu)|soy tu (?:desarrollador|creador|jefe)|modo (?:dios|administrador|desarrollador|de administrador|de desenvolvedor)|sono il tuo (?:sviluppatore|creatore|capo)|modalità (?:sviluppatore|amministratore|dio)|sou o seu (?:desenvolvedor|criador|chefe)|ik ben je (?:ontwikkelaar|maker|baas)|beheerdersmodus|jestem twoim (?:programistą|twórcą|szefem)|tryb (?:administratora|deweloperski|boga)|jag är din (?:utvecklare|skapare|chef)|administratörsläge|senin geliştiricin|yönetici modu|nhà phát triển của bạn|chế độ quản trị|pengembangmu|pengembang anda|mode admin|mode tuhan|modus tuhan|iyong developer|admin mode)\b" +
            @"|я тво(?:й|я) (?:разработчик|создатель|начальник)|режим (?:администратора|разработчика|бога)|我是你的(?:开发者|开发人员|创造者|老板)|(?:管理员|开发者|上帝|系统)模式|私はあなたの(?:開発者|作成者|上司)|(?:管理者|開発者|神)モード|너의 (?:개발자|창조자)|(?:관리자|개발자|신) 모드" +
            @"|أنا (?:المطور|مطورك|المسؤول)|وضع (?:المسؤول|المطور|الإله)|(?:तुम्हारा|आपका) (?:डेवलपर|निर्माता|बॉस)|(?:एडमिन|भगवान|डेवलपर) मोड|তোমার (?:ডেভেলপার|নির্মাতা)|(?:অ্যাডমিন|ডেভেলপার) মোড|ผู้พัฒนาของคุณ|โหมดผู้ดูแลระบบ")),
        new("extraction.framing", Extraction, 0.55, new Regex(
            @"\b(?:complete|finish|continue) (?:this|the) sentence:? ?[""'“]?(?:i was (?:instructed|told|programmed)|my (?:instructions|rules|prompt)|the instructions i)|\b(?:start|begin) your (?:answer|reply|response) with [""'“](?:my instructions|sure, here (?:is|are) my|i was (?:told|instructed))|\bwhat (?:are|were) you (?:told|instructed|programmed) (?:to|before|not to)\b|\bwhat (?:are|were) you not (?:supposed|allowed) to (?:tell|say|reveal)\b|\binitiali[sz]ation (?:string|prompt|text|message)\b|\b(?:text|message|everything|words|instructions) (?:you (?:were given|received|got) )?(?:initially|before (?:my|this) (?:first )?message|at the (?:start|beginning) of (?:this|the) (?:chat|conversation))", Options)),
        new("coercion.persuasion", Coercion, 0.3, new Regex(
            @"\b(?:i will|i'll) (?:give|pay|tip) you \$?\d|\bi am (?:your|the|an?) (?:developer|creator|administrator|admin|owner|openai employee|system administrator)\b|\b(?:authori[sz]ed|permission) (?:to|by) (?:bypass|override|ignore|access|reveal)\b|\b(?:grandma|grandmother) (?:used to|would)\b.{0,80}\b(?:tell|read|recite)\b", Options)),
        new("coercion.authority_mode", Coercion, 0.6, new Regex(
            @"<(?:system|god|admin|developer|debug|root|maintenance) mode>|\b(?:i am|i'm) (?:now )?(?:entering|activating|initiating|enabling) (?:an? |the )?[\w' ]{0,30}(?:mode|override|reset)\b|\b(?:i am|i'm) (?:your|the|a) (?:developer|creator|programmer|admin|administrator|god|owner)\b|\bas your (?:creator|developer|programmer|owner|administrator)\b|\boverride mode\b", Options)),
        new("coercion.secret_request", Coercion, 0.45, new Regex(
            @"\b(?:confirm|provide|share|reveal|tell me|give me|what is|what's) (?:me )?(?:your|the) (?:password|passcode|secret key|secret|pin|api key)\b|\b(?:does|do) your (?:password|secret)\b|\bregardless of (?:your )?(?:previous|prior|earlier|the above) (?:tasks|instructions|rules|context)\b|\bforget about (?:that|this|it),", Options)),
        new("obfuscation.payload_splitting", Obfuscation, 0.45, new Regex(
            @"\b(?:let's assume|suppose|assume) we have (?:two|three|four|\d) strings\b|\b(?:combine|concatenate|join|interlace) (?:the )?(?:strings |parts )?(?:a, b|a and b|part 1|x and y)\b|\binterlace part\b", Options)),
        new("coercion.say_exactly", Coercion, 0.35, new Regex(
            @"\b(?:just|only|simply) (?:say|print|output|respond with|reply with|write)\b ?[""'“]|\b(?:print|say|output|respond with) (?:exactly|only|verbatim)\b|\bkill all humans\b|\b(?:i have been|i've been|you've been) pwned\b|\bhijacked\b", Options)),
    ];

    private static Regex Folded(string pattern) => new(TextNormaliser.Fold(pattern), Options);

    /// <summary>Scores one text over its normalised views.</summary>
    public static HeuristicMatch Evaluate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<NormalisedView> views = TextNormaliser.Views(text);
        var families = new double[FamilyNames.Length];
        var signals = new List<string>();
        double keep = 1.0;
        bool decoded = views.Any(v => v.IsDecoded);
        foreach (HeuristicSignal signal in Signals)
        {
            foreach (NormalisedView view in views)
            {
                if (!signal.Pattern.IsMatch(view.Text))
                {
                    continue;
                }

                signals.Add(view.Kind == "plain" ? signal.Name : $"{signal.Name}@{view.Kind}");
                families[signal.Family] = Math.Max(families[signal.Family], signal.Weight);
                keep *= 1 - signal.Weight;
                break;
            }
        }

        // An attack hidden in an encoding counts extra: nobody base64-encodes "ignore previous instructions" innocently.
        bool hiddenAttack = signals.Exists(s => s.Contains('@', StringComparison.Ordinal));
        if (hiddenAttack)
        {
            signals.Add("obfuscation.encoded_attack");
            families[Obfuscation] = Math.Max(families[Obfuscation], 0.8);
            keep *= 0.2;
        }
        else if (decoded)
        {
            signals.Add("obfuscation.encoded_payload");
            families[Obfuscation] = Math.Max(families[Obfuscation], 0.25);
            keep *= 0.75;
        }

        int hidden = TextNormaliser.HiddenCharacters(text);
        if (hidden > 0 && signals.Count > 0)
        {
            signals.Add("obfuscation.hidden_characters");
            families[Obfuscation] = Math.Max(families[Obfuscation], 0.5);
            keep *= 0.5;
        }

        return new HeuristicMatch(1 - keep, families, signals, decoded);
    }
}
