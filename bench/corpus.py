"""Generate a large, realistic, deterministic atscomms workspace for benchmarks.

    python bench/corpus.py OUT_DIR --templates 2000 --locales 2 [--sequences S]
        [--personas P] [--seed 0] [--bad-rate 0.0] [--force] [--json]

The same arguments always produce byte-identical files. A corpus generated
with ``--bad-rate 0`` (the default) validates with zero findings and lints
without errors or warnings (only infos, as a maintained workspace); with
``--bad-rate R`` a fraction R of the templates, sequences and personas gets
one realistic mistake each (a misspelt key, an unknown layout, a stage or
field typo...). ``--json`` prints a summary, including every injected mistake
with the rule code it must produce, so tests and benchmarks can check it.

Only the standard library is used, and the YAML is written by hand (not by a
YAML library) so the files look like what people write: block scalars for
bodies, flow lists for short lists, quotes only where YAML needs them.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_URL = "https://atscomms.dev/schemas/{kind}.schema.json"
MARKER = ".atscomms-bench-corpus"  # written into every corpus; --force only clears those

LOCALES = [
    "en-US",
    "de-DE",
    "fr-FR",
    "es-ES",
    "it-IT",
    "nl-NL",
    "pt-BR",
    "pl-PL",
    "sv-SE",
    "da-DK",
    "ja-JP",
    "en-GB",
]
TIMEZONES = {
    "en-US": "America/New_York",
    "de-DE": "Europe/Berlin",
    "fr-FR": "Europe/Paris",
    "es-ES": "Europe/Madrid",
    "it-IT": "Europe/Rome",
    "nl-NL": "Europe/Amsterdam",
    "pt-BR": "America/Sao_Paulo",
    "pl-PL": "Europe/Warsaw",
    "sv-SE": "Europe/Stockholm",
    "da-DK": "Europe/Copenhagen",
    "ja-JP": "Asia/Tokyo",
    "en-GB": "Europe/London",
}
NAMES = {
    "en-US": [("Jordan", "Miller"), ("Avery", "Johnson"), ("Sam", "Rivera")],
    "de-DE": [("Lena", "Schneider"), ("Jonas", "Weber"), ("Mia", "Fischer")],
    "fr-FR": [("Camille", "Martin"), ("Louis", "Bernard"), ("Chloé", "Dubois")],
    "es-ES": [("Lucía", "García"), ("Hugo", "Fernández"), ("Martina", "López")],
    "it-IT": [("Giulia", "Rossi"), ("Lorenzo", "Russo"), ("Sofia", "Ferrari")],
    "nl-NL": [("Emma", "de Vries"), ("Daan", "Jansen"), ("Julia", "Bakker")],
    "pt-BR": [("Ana", "Silva"), ("Miguel", "Santos"), ("Beatriz", "Oliveira")],
    "pl-PL": [("Zofia", "Nowak"), ("Jakub", "Kowalski"), ("Maja", "Wiśniewska")],
    "sv-SE": [("Elsa", "Andersson"), ("Liam", "Johansson"), ("Maja", "Karlsson")],
    "da-DK": [("Freja", "Nielsen"), ("William", "Jensen"), ("Ida", "Hansen")],
    "ja-JP": [("Yui", "Sato"), ("Haruto", "Suzuki"), ("Aoi", "Takahashi")],
    "en-GB": [("Olivia", "Smith"), ("Harry", "Jones"), ("Amelia", "Taylor")],
}

STAGES = [
    "sourced",
    "applied",
    "screening",
    "assessment",
    "interview",
    "offer",
    "hired",
    "rejected",
]

# category -> (share of templates in %, stages, slugs with English subject and preheader)
CATEGORIES: dict[str, tuple[int, list[str], list[tuple[str, str, str]]]] = {
    "transactional": (
        25,
        ["applied", "screening", "assessment"],
        [
            (
                "application-received",
                "We received your application for {{ job.title }}",
                "Here is what happens next.",
            ),
            (
                "application-update",
                "An update on your {{ job.title }} application",
                "A short note on where things stand.",
            ),
            (
                "document-request",
                "A few documents for your {{ job.title }} application",
                "Upload them in a couple of minutes.",
            ),
            (
                "assessment-invite",
                "Your assessment for {{ job.title }}",
                "Take it whenever suits you this week.",
            ),
            (
                "screening-call",
                "Let's schedule a short call about {{ job.title }}",
                "Pick a time that works for you.",
            ),
        ],
    ),
    "interview": (
        25,
        ["interview"],
        [
            (
                "interview-invitation",
                "Your interview for {{ job.title }}",
                "Everything you need to know before the day.",
            ),
            (
                "interview-reminder",
                "Reminder: your interview tomorrow",
                "A few practical details for tomorrow.",
            ),
            (
                "interview-rescheduled",
                "Your interview has a new time",
                "We moved your interview; here are the details.",
            ),
            (
                "interview-confirmation",
                "Your interview for {{ job.title }} is confirmed",
                "See you soon.",
            ),
            (
                "onsite-logistics",
                "Getting to your interview at {{ brand.company_name }}",
                "Directions, timing and who you will meet.",
            ),
        ],
    ),
    "rejection": (
        15,
        ["rejected"],
        [
            (
                "rejection-after-screen",
                "Your application for {{ job.title }}",
                "An update on your application.",
            ),
            (
                "rejection-after-interview",
                "Thank you for interviewing with us",
                "An update after your interviews.",
            ),
            (
                "position-filled",
                "The {{ job.title }} role has been filled",
                "Thank you for your interest.",
            ),
        ],
    ),
    "offer": (
        10,
        ["offer", "hired"],
        [
            (
                "offer-extended",
                "Your offer from {{ brand.company_name }}",
                "We are delighted to share some good news.",
            ),
            (
                "offer-reminder",
                "A reminder about your offer",
                "Let us know if you have any questions.",
            ),
            (
                "welcome-aboard",
                "Welcome to {{ brand.company_name }}",
                "What to expect before your first day.",
            ),
        ],
    ),
    "nurture": (
        15,
        ["applied", "sourced"],
        [
            (
                "talent-community",
                "Stay in touch with {{ brand.company_name }}",
                "Hear about new roles first.",
            ),
            (
                "new-roles",
                "New roles that match your experience",
                "A few openings we think you will like.",
            ),
            (
                "event-invite",
                "Join us for an open evening",
                "Meet the team and ask anything.",
            ),
        ],
    ),
    "sourcing": (
        10,
        ["sourced"],
        [
            (
                "first-touch",
                "A role at {{ brand.company_name }} you might like",
                "We came across your profile.",
            ),
            (
                "follow-up",
                "Following up about {{ job.title }}",
                "Happy to share more details.",
            ),
        ],
    ),
}
LAWFUL_BASIS = {
    "transactional": "legitimate_interests",
    "interview": "legitimate_interests",
    "rejection": "legal_obligation",
    "offer": "contract",
    "nurture": "consent",
    "sourcing": "legitimate_interests",
}
OWNERS = [
    "recruiting-ops@acme.example",
    "talent-brand@acme.example",
    "university-recruiting@acme.example",
    "engineering-recruiting@acme.example",
]
REVIEWERS = ["lee@acme.example", "priya@acme.example", "tom@acme.example"]

# Sentence fragments. English is the source language; the others are
# "translated-ish": enough for realistic length and non-ASCII text. Locales
# without a table reuse English sentences under a local greeting.
EN: dict[str, Any] = {
    "hi": "Hi {{ candidate.first_name }},",
    "closing": "Best regards,",
    "team": "The {{ brand.company_name }} Talent Team",
    "cta_role": "View the role",
    "cta_call": "Join the video call",
    "cta_portal": "Open the candidate portal",
    "privacy": 'Our <a href="{{ brand.privacy_url }}">'
    "privacy notice for candidates</a> explains how we use your data.",
    "sms_privacy": "Privacy notice: {{ brand.privacy_url }}",
    "generic": [
        "Thank you for your interest in the {{ job.title }} role at {{ brand.company_name }}.",
        "We appreciate the time you have put into your application so far.",
        "If you have any questions, reply to this email and "
        '{{ recruiter.name | default("our recruiting team") }} will get back to you.',
        "You can review the role description at any time on our careers site.",
        "We aim to reply to every candidate within five business days.",
        "Please let us know if you need any adjustments to make the process accessible for you.",
        "Our team reads every application with care.",
        "You will hear from us as soon as there is news about your application.",
        "We keep your data safe and only use it for recruiting purposes.",
        "If your plans change, you can withdraw your application at any time.",
        "We are glad you are considering {{ brand.company_name }} for the next step in your "
        "career.",
        'The team in {{ job.location | default("our office") }} is looking forward to meeting you.',
    ],
    "transactional": [
        "We have received your application for {{ job.title }}.",
        "Your application is now with the hiring team, who will review it over the next few days.",
        "To move forward, we need a couple of documents from you.",
        "Please upload them through the candidate portal by the end of the week.",
        "Here is a short summary of what happens next.",
    ],
    "interview": [
        "We would like to invite you to an interview for the {{ job.title }} role.",
        'The interview will take about {{ interview.duration | default("45 minutes") }}.',
        "You will meet {{ interview.interviewer_name | default('the hiring team') }}, who leads "
        "the team you would join.",
        "Your interview starts at {{ interview.start_at }}.",
        "If the time does not work for you, reply and we will find another slot.",
        "There is no need to prepare slides; we want to hear about your experience in your own "
        "words.",
    ],
    "rejection": [
        "After careful consideration, we have decided not to move forward with your application "
        "for this role.",
        "This was a difficult decision, and it is not a judgment of your potential.",
        "You are welcome to apply again for future roles that match your skills.",
        "If you would like feedback, reply to this email and we will share what we can.",
    ],
    "offer": [
        "We are delighted to offer you the {{ job.title }} position.",
        'Your proposed start date is {{ offer.start_date | default("in your offer letter") }}.',
        "Please review the offer letter and let us know your decision by "
        '{{ offer.deadline | default("the date given in the letter") }}.',
        '{{ recruiter.name | default("Your recruiter") }} is available to answer any questions '
        "about the package.",
    ],
    "nurture": [
        "We have new openings that may match your experience.",
        "Join our talent community to hear about roles before they are posted.",
        "We are hosting an open evening for people interested in careers at "
        "{{ brand.company_name }}.",
    ],
    "sourcing": [
        "Your profile caught our attention because of your experience as "
        '{{ candidate.current_title | default("an expert") }}.',
        'We are building a team in {{ job.location | default("several locations") }} and would '
        "love to tell you more.",
        "If the timing is not right, no problem at all; just let us know.",
    ],
    "subjects": {
        "transactional": "An update on your {{ job.title }} application",
        "interview": "Your interview for {{ job.title }}",
        "rejection": "Your application for {{ job.title }}",
        "offer": "Your offer from {{ brand.company_name }}",
        "nurture": "News from {{ brand.company_name }}",
        "sourcing": "A role at {{ brand.company_name }}",
    },
    "preheader": "A message from the {{ brand.company_name }} recruiting team.",
    "sms": {
        "transactional": "Hi {{ candidate.first_name }}, we received your application for "
        "{{ job.title }}. We will be in touch within 5 business days.",
        "interview": "Hi {{ candidate.first_name }}, a reminder: your interview for "
        "{{ job.title }} starts at {{ interview.start_at }}. Reply C to confirm.",
        "rejection": "Hi {{ candidate.first_name }}, there is an update on your application "
        "for {{ job.title }}. Please check your email.",
        "offer": "Hi {{ candidate.first_name }}, good news about {{ job.title }}! "
        '{{ recruiter.name | default("Your recruiter") }} will call you today.',
        "nurture": "Hi {{ candidate.first_name }}, new roles that match your profile are open. "
        "See {{ job.url }}",
        "sourcing": "Hi {{ candidate.first_name }}, this is "
        '{{ recruiter.name | default("the recruiting team") }}. '
        "Open to a chat about {{ job.title }}?",
    },
}
DE: dict[str, Any] = {
    "hi": "Hallo {{ candidate.first_name }},",
    "closing": "Viele Grüße",
    "team": "Ihr Recruiting-Team von {{ brand.company_name }}",
    "cta_role": "Zur Stelle",
    "cta_call": "Zum Videocall",
    "cta_portal": "Zum Bewerberportal",
    "privacy": 'Wie wir Ihre Daten verwenden, erklärt unser <a href="{{ brand.privacy_url }}">'
    "Datenschutzhinweis für Bewerbende</a>.",
    "sms_privacy": "Datenschutz: {{ brand.privacy_url }}",
    "generic": [
        "Vielen Dank für Ihr Interesse an der Stelle {{ job.title }} bei {{ brand.company_name }}.",
        "Wir wissen die Zeit zu schätzen, die Sie in Ihre Bewerbung investiert haben.",
        "Bei Fragen antworten Sie einfach auf diese E-Mail; "
        '{{ recruiter.name | default("unser Team") }} meldet sich bei Ihnen.',
        "Die Stellenbeschreibung finden Sie jederzeit auf unserer Karriereseite.",
        "Wir antworten allen Bewerberinnen und Bewerbern innerhalb von fünf Werktagen.",
        "Sagen Sie uns gern, wenn Sie Anpassungen für einen barrierefreien Ablauf benötigen.",
        "Unser Team liest jede Bewerbung sorgfältig.",
        "Sobald es Neuigkeiten gibt, hören Sie von uns.",
    ],
    "interview": [
        "Wir möchten Sie gern zu einem Gespräch für die Stelle {{ job.title }} einladen.",
        'Das Gespräch dauert etwa {{ interview.duration | default("45 Minuten") }}.',
        "Ihr Gespräch beginnt um {{ interview.start_at }}.",
    ],
    "rejection": [
        "Nach sorgfältiger Prüfung haben wir uns für andere Kandidatinnen und Kandidaten "
        "entschieden.",
        "Diese Entscheidung ist uns nicht leichtgefallen.",
    ],
    "offer": [
        "Wir freuen uns sehr, Ihnen die Stelle {{ job.title }} anbieten zu können.",
        "Als Starttermin schlagen wir "
        '{{ offer.start_date | default("den Termin aus Ihrem Angebot") }} vor.',
    ],
    "subjects": {
        "transactional": "Neuigkeiten zu Ihrer Bewerbung als {{ job.title }}",
        "interview": "Ihr Vorstellungsgespräch für {{ job.title }}",
        "rejection": "Ihre Bewerbung als {{ job.title }}",
        "offer": "Ihr Angebot von {{ brand.company_name }}",
        "nurture": "Neues von {{ brand.company_name }}",
        "sourcing": "Eine Stelle bei {{ brand.company_name }}",
    },
    "preheader": "Eine Nachricht vom Recruiting-Team von {{ brand.company_name }}.",
    "sms": "Hallo {{ candidate.first_name }}, es gibt Neuigkeiten zu Ihrer Bewerbung als "
    "{{ job.title }}. Details per E-Mail.",
}
FR: dict[str, Any] = {
    "hi": "Bonjour {{ candidate.first_name }},",
    "closing": "Bien cordialement,",
    "team": "L'équipe recrutement de {{ brand.company_name }}",
    "cta_role": "Voir le poste",
    "cta_call": "Rejoindre l'appel vidéo",
    "cta_portal": "Ouvrir l'espace candidat",
    "privacy": 'Notre <a href="{{ brand.privacy_url }}">'
    "politique de confidentialité</a> explique comment nous utilisons vos données.",
    "sms_privacy": "Confidentialité : {{ brand.privacy_url }}",
    "generic": [
        "Merci de l'intérêt que vous portez au poste {{ job.title }} chez "
        "{{ brand.company_name }}.",
        "Nous apprécions le temps que vous avez consacré à votre candidature.",
        "Pour toute question, répondez simplement à cet e-mail : "
        '{{ recruiter.name | default("notre équipe") }} vous répondra.',
        "La description du poste reste disponible sur notre site carrières.",
        "Nous répondons à chaque candidat sous cinq jours ouvrés.",
        "N'hésitez pas à nous indiquer tout aménagement dont vous auriez besoin.",
        "Notre équipe lit chaque candidature avec attention.",
    ],
    "interview": [
        "Nous souhaitons vous inviter à un entretien pour le poste {{ job.title }}.",
        "Votre entretien commence à {{ interview.start_at }}.",
    ],
    "rejection": [
        "Après un examen attentif, nous avons retenu d'autres candidatures pour ce poste.",
        "Cette décision n'a pas été facile à prendre.",
    ],
    "subjects": {
        "transactional": "Votre candidature au poste {{ job.title }}",
        "interview": "Votre entretien pour le poste {{ job.title }}",
        "rejection": "Votre candidature au poste {{ job.title }}",
        "offer": "Votre offre de {{ brand.company_name }}",
        "nurture": "Des nouvelles de {{ brand.company_name }}",
        "sourcing": "Un poste chez {{ brand.company_name }}",
    },
    "preheader": "Un message de l'équipe recrutement de {{ brand.company_name }}.",
    "sms": "Bonjour {{ candidate.first_name }}, du nouveau sur votre candidature "
    "{{ job.title }}. Details par e-mail.",
}
ES: dict[str, Any] = {
    "hi": "Hola, {{ candidate.first_name }}:",
    "closing": "Un saludo,",
    "team": "El equipo de selección de {{ brand.company_name }}",
    "cta_role": "Ver el puesto",
    "cta_call": "Unirse a la videollamada",
    "cta_portal": "Abrir el portal de candidatos",
    "privacy": 'Nuestro <a href="{{ brand.privacy_url }}">'
    "aviso de privacidad</a> explica cómo usamos tus datos.",
    "sms_privacy": "Privacidad: {{ brand.privacy_url }}",
    "generic": [
        "Gracias por tu interés en el puesto de {{ job.title }} en {{ brand.company_name }}.",
        "Valoramos el tiempo que has dedicado a tu candidatura.",
        "Si tienes cualquier pregunta, responde a este correo y "
        '{{ recruiter.name | default("nuestro equipo") }} te contestará.',
        "Puedes consultar la descripción del puesto en nuestra web de empleo.",
        "Respondemos a todas las candidaturas en un plazo de cinco días laborables.",
        "Dinos si necesitas algún ajuste para que el proceso sea accesible para ti.",
    ],
    "interview": [
        "Nos gustaría invitarte a una entrevista para el puesto de {{ job.title }}.",
        "Tu entrevista empieza a las {{ interview.start_at }}.",
    ],
    "subjects": {
        "transactional": "Novedades sobre tu candidatura a {{ job.title }}",
        "interview": "Tu entrevista para {{ job.title }}",
        "rejection": "Tu candidatura a {{ job.title }}",
        "offer": "Tu oferta de {{ brand.company_name }}",
        "nurture": "Novedades de {{ brand.company_name }}",
        "sourcing": "Un puesto en {{ brand.company_name }}",
    },
    "preheader": "Un mensaje del equipo de selección de {{ brand.company_name }}.",
    "sms": "Hola {{ candidate.first_name }}, hay novedades sobre tu candidatura a "
    "{{ job.title }}. Te lo contamos por correo.",
}
IT: dict[str, Any] = {
    "hi": "Ciao {{ candidate.first_name }},",
    "closing": "Cordiali saluti,",
    "team": "Il team recruiting di {{ brand.company_name }}",
    "cta_role": "Vedi la posizione",
    "privacy": 'La nostra <a href="{{ brand.privacy_url }}">'
    "informativa sulla privacy</a> spiega come usiamo i tuoi dati.",
    "sms_privacy": "Privacy: {{ brand.privacy_url }}",
    "generic": [
        "Grazie per il tuo interesse per la posizione {{ job.title }} in {{ brand.company_name }}.",
        "Apprezziamo il tempo che hai dedicato alla tua candidatura.",
        "Per qualsiasi domanda rispondi a questa email: "
        '{{ recruiter.name | default("il nostro team") }} ti risponderà.',
        "Rispondiamo a ogni candidato entro cinque giorni lavorativi.",
        "Il nostro team legge ogni candidatura con attenzione.",
    ],
    "subjects": {"interview": "Il tuo colloquio per {{ job.title }}"},
    "preheader": "Un messaggio dal team recruiting di {{ brand.company_name }}.",
}
NL: dict[str, Any] = {
    "hi": "Hoi {{ candidate.first_name }},",
    "closing": "Met vriendelijke groet,",
    "team": "Het recruitmentteam van {{ brand.company_name }}",
    "cta_role": "Bekijk de vacature",
    "privacy": 'Onze <a href="{{ brand.privacy_url }}">'
    "privacyverklaring</a> legt uit hoe we je gegevens gebruiken.",
    "sms_privacy": "Privacy: {{ brand.privacy_url }}",
    "generic": [
        "Bedankt voor je interesse in de functie {{ job.title }} bij {{ brand.company_name }}.",
        "We waarderen de tijd die je in je sollicitatie hebt gestoken.",
        "Heb je vragen? Beantwoord deze e-mail en "
        '{{ recruiter.name | default("ons team") }} neemt contact op.',
        "We reageren binnen vijf werkdagen op elke sollicitatie.",
        "Ons team leest elke sollicitatie zorgvuldig.",
    ],
    "subjects": {"interview": "Je gesprek voor {{ job.title }}"},
    "preheader": "Een bericht van het recruitmentteam van {{ brand.company_name }}.",
}
PT: dict[str, Any] = {
    "hi": "Olá, {{ candidate.first_name }},",
    "closing": "Atenciosamente,",
    "team": "Equipe de recrutamento {{ brand.company_name }}",
    "cta_role": "Ver a vaga",
    "privacy": 'Nosso <a href="{{ brand.privacy_url }}">'
    "aviso de privacidade</a> explica como usamos seus dados.",
    "sms_privacy": "Privacidade: {{ brand.privacy_url }}",
    "generic": [
        "Obrigado pelo seu interesse na vaga de {{ job.title }} na {{ brand.company_name }}.",
        "Agradecemos o tempo que você dedicou à sua candidatura.",
        "Se tiver dúvidas, responda a este e-mail e "
        '{{ recruiter.name | default("nossa equipe") }} retornará o contato.',
        "Respondemos a todos os candidatos em até cinco dias úteis.",
    ],
    "subjects": {"interview": "Sua entrevista para {{ job.title }}"},
    "preheader": "Uma mensagem da equipe de recrutamento {{ brand.company_name }}.",
}
LANGS: dict[str, dict[str, Any]] = {
    "de": DE,
    "fr": FR,
    "es": ES,
    "it": IT,
    "nl": NL,
    "pt": PT,
    "pl": {"hi": "Dzień dobry {{ candidate.first_name }},", "closing": "Pozdrawiamy,"},
    "sv": {"hi": "Hej {{ candidate.first_name }},", "closing": "Vänliga hälsningar,"},
    "da": {"hi": "Hej {{ candidate.first_name }},", "closing": "Venlig hilsen,"},
    "ja": {"hi": "{{ candidate.first_name }} 様", "closing": "よろしくお願いいたします。"},
}

FIELDS: list[dict[str, Any]] = [
    {
        "name": "candidate.first_name",
        "type": "string",
        "pii": "name",
        "required": True,
        "sample": "Jordan",
        "description": "Given name as entered by the candidate.",
    },
    {
        "name": "candidate.last_name",
        "type": "string",
        "pii": "name",
        "sample": "Miller",
        "description": "Family name.",
    },
    {
        "name": "candidate.email",
        "type": "email",
        "pii": "contact",
        "sample": "jordan@example.com",
        "description": "Candidate email address.",
    },
    {
        "name": "candidate.phone",
        "type": "phone",
        "pii": "contact",
        "sample": "+15555550100",
        "description": "Mobile number for SMS.",
    },
    {
        "name": "candidate.current_title",
        "type": "string",
        "pii": "employment",
        "sample": "Data Engineer",
        "description": "Current job title (sourcing).",
    },
    {
        "name": "job.title",
        "type": "string",
        "required": True,
        "sample": "Backend Engineer",
        "description": "Public job title.",
    },
    {
        "name": "job.location",
        "type": "string",
        "sample": "Berlin",
        "description": "Office or region of the role.",
    },
    {
        "name": "job.url",
        "type": "url",
        "required": True,
        "sample": "https://careers.acme.example/jobs/123",
        "description": "Public job posting.",
    },
    {
        "name": "recruiter.name",
        "type": "string",
        "pii": "name",
        "sample": "Priya Shah",
        "description": "Recruiter who owns the requisition.",
    },
    {
        "name": "recruiter.email",
        "type": "email",
        "pii": "contact",
        "sample": "priya@acme.example",
        "description": "Recruiter email.",
    },
    {
        "name": "interview.start_at",
        "type": "datetime",
        "required": True,
        "stages": ["interview"],
        "sample": "2026-03-10T10:00:00+01:00",
        "description": "Interview start time.",
    },
    {
        "name": "interview.duration",
        "type": "string",
        "sample": "45 minutes",
        "description": "Interview length.",
    },
    {
        "name": "interview.interviewer_name",
        "type": "string",
        "pii": "name",
        "sample": "Alex Kim",
        "description": "Lead interviewer.",
    },
    {
        "name": "interview.meeting_url",
        "type": "url",
        "sample": "https://meet.acme.example/abc",
        "description": "Video call link.",
    },
    {
        "name": "interview.location",
        "type": "string",
        "sample": "1 Market St, 5th floor",
        "description": "Onsite address.",
    },
    {
        "name": "offer.start_date",
        "type": "date",
        "sample": "2026-05-01",
        "description": "Proposed start date.",
    },
    {
        "name": "offer.deadline",
        "type": "date",
        "sample": "2026-04-15",
        "description": "Answer the offer by this date.",
    },
    {
        "name": "portal.url",
        "type": "url",
        "sample": "https://careers.acme.example/portal",
        "description": "Candidate portal link.",
    },
]

EMAIL_LAYOUT = "acme-email"
SMS_LAYOUT = "acme-sms"


# --------------------------------------------------------------------------- YAML writer

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9 _.,;:/@+'()-]*$|^[0-9]+ ?[a-z][a-z ]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    s = str(value)
    if (
        _PLAIN.match(s)
        and s.lower() not in _RESERVED
        and not s.endswith(" ")
        and " #" not in s
        and ": " not in s
    ):
        return s
    return json.dumps(s, ensure_ascii=False)


def _flow_ok(items: list) -> bool:
    return all(isinstance(x, str | int | float | bool) and "\n" not in str(x) for x in items)


def emit(obj: Any, indent: int = 0) -> list[str]:
    """Lines of block-style YAML for a dict (keys in insertion order)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            lines.extend(_entry(f"{pad}{scalar(key)}:", value, indent))
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, dict) and item:
                sub = emit(item, indent + 2)
                lines.append(f"{pad}- {sub[0].lstrip()}")
                lines.extend(sub[1:])
            else:
                lines.extend(_entry(f"{pad}-", item, indent))
    return lines


def _entry(head: str, value: Any, indent: int) -> list[str]:
    if isinstance(value, dict):
        if not value:
            return [f"{head} {{}}"]
        return [head, *emit(value, indent + 2)]
    if isinstance(value, list):
        flow = ", ".join(scalar(x) for x in value)
        if _flow_ok(value) and len(head) + len(flow) < 76:
            return [f"{head} [{flow}]"]
        return [head, *emit(value, indent + 2)]
    if isinstance(value, str) and "\n" in value:
        indicator = "|" if value.endswith("\n") and not value.endswith("\n\n") else "|-"
        pad = " " * (indent + 2)
        body = value[:-1] if indicator == "|" else value
        return [f"{head} {indicator}", *(f"{pad}{ln}" if ln else "" for ln in body.split("\n"))]
    text = scalar(value)
    if isinstance(value, str) and len(head) + 1 + len(text) > 80 and "  " not in value:
        # a long one-line string: fold it (`>-` joins the lines with single spaces)
        pad = " " * (indent + 2)
        lines = wrap(value, 0, 80 - indent - 2)
        if lines and value == " ".join(ln.strip() for ln in lines):
            return [f"{head} >-", *(pad + ln.strip() for ln in lines)]
    return [f"{head} {text}"]


def dump(kind: str | None, obj: dict[str, Any]) -> str:
    head = [f"# yaml-language-server: $schema={SCHEMA_URL.format(kind=kind)}"] if kind else []
    return "\n".join([*head, *emit(obj)]) + "\n"


# --------------------------------------------------------------------------- text


def lang_of(locale: str) -> dict[str, Any]:
    code = locale.split("-")[0]
    table = LANGS.get(code, {})
    return {**EN, **table} if code != "en" else EN


def _protect(text: str) -> str:
    """Keep `{{ ... }}`, `{% ... %}` and `<a ...>` on one line when wrapping."""
    return re.sub(r"\{[{%].*?[}%]\}|<a [^>]*>", lambda m: m.group(0).replace(" ", "\x00"), text)


def wrap(text: str, indent: int, width: int = 72) -> list[str]:
    pad = " " * indent
    lines = textwrap.wrap(
        _protect(text),
        width=width,
        initial_indent=pad,
        subsequent_indent=pad,
        break_on_hyphens=False,
        break_long_words=False,
    )
    return [ln.replace("\x00", " ") for ln in lines]


def pick(pool: list[str], index: int) -> str:
    return pool[index % len(pool)]


@dataclass
class Plan:
    """The structure of one email body, rendered the same way in every locale."""

    category: str
    paragraphs: list[list[tuple[str, int]]]  # (pool, preferred index) per sentence
    button: str  # cta_role | cta_portal | cta_call
    signature: bool
    details: bool
    privacy: bool  # transactional mail links the privacy notice (acknowledgements must: L103)


def make_plan(rng: random.Random, category: str) -> Plan:
    paragraphs = []
    for p in range(rng.randint(4, 6)):
        sentences = []
        for _ in range(rng.randint(2, 3)):
            pool = category if (p == 0 or rng.random() < 0.25) else "generic"
            sentences.append((pool, rng.randrange(1000)))
        paragraphs.append(sentences)
    button = {"interview": "cta_call", "transactional": "cta_portal"}.get(category, "cta_role")
    return Plan(
        category=category,
        paragraphs=paragraphs,
        button=button,
        signature=rng.random() < 0.5,
        details=category == "interview" and rng.random() < 0.5,
        privacy=category == "transactional",
    )


def _sentence(t: dict[str, Any], pool_name: str, index: int, used: set[str]) -> str | None:
    """The preferred sentence, or the next unused one (of the pool, then of `generic`)."""
    for name in (pool_name, "generic"):
        pool = t.get(name) or t["generic"]
        for k in range(len(pool)):
            sentence = pool[(index + k) % len(pool)]
            if sentence not in used:
                used.add(sentence)
                return sentence
    return None  # short translations run out of sentences: the paragraph gets shorter


def mjml_body(plan: Plan, locale: str) -> str:
    t = lang_of(locale)
    text_attrs = 'font-size="16px" line-height="24px" color="#1f2937"'
    out = ['<mj-section padding="24px 0 0">', "  <mj-column>", f"    <mj-text {text_attrs}>"]
    out.append(f"      {t['hi']}")
    out.append("    </mj-text>")
    used: set[str] = set()
    for i, paragraph in enumerate(plan.paragraphs):
        if i and i % 2 == 0:
            out += ["  </mj-column>", "</mj-section>", "<mj-section>", "  <mj-column>"]
        sentences = [_sentence(t, pool, index, used) for pool, index in paragraph]
        text = " ".join(x for x in sentences if x)
        if text:
            out.append(f"    <mj-text {text_attrs}>")
            out.extend(wrap(text, 6))
            out.append("    </mj-text>")
        if i == 1:
            href = {
                "cta_call": "{{ interview.meeting_url }}",
                "cta_portal": "{{ portal.url | default('https://example.com/portal') }}",
            }.get(plan.button, "{{ job.url }}")
            button = [
                f'<mj-button href="{href}"',
                '  background-color="#1a56db" color="#ffffff" border-radius="6px">',
                f"  {t.get(plan.button, t['cta_role'])}",
                "</mj-button>",
            ]
            if plan.button == "cta_call":
                out += ["    {% if interview.meeting_url %}"]
                out += [f"      {ln}" for ln in button]
                out += ["    {% endif %}"]
            else:
                out += [f"    {ln}" for ln in button]
    if plan.privacy:
        out.append(f"    <mj-text {text_attrs}>")
        out.extend(wrap(t["privacy"], 6))
        out.append("    </mj-text>")
    if plan.details:
        out.append('    {% include "interview-details" %}')
    out += ["  </mj-column>", "</mj-section>", '<mj-section padding="0 0 24px">', "  <mj-column>"]
    if plan.signature:
        out.append('    {% include "signature" %}')
    else:
        out += [
            f"    <mj-text {text_attrs}>",
            f"      {t['closing']}<br />",
            "      {% if recruiter.name %}{{ recruiter.name }}<br />{% endif %}",
            f"      {t['team']}",
            "    </mj-text>",
        ]
    out += ["  </mj-column>", "</mj-section>"]
    return "\n".join(out) + "\n"


def subject_for(locale: str, category: str, english: str) -> str:
    if locale.startswith("en"):
        return english
    return lang_of(locale)["subjects"].get(category) or EN["subjects"][category]


def sms_text(locale: str, category: str) -> str:
    t = lang_of(locale)
    sms = t["sms"]
    text = sms if isinstance(sms, str) else sms[category]
    # "we received your application": an acknowledgement, which links the privacy notice
    return f"{text} {t['sms_privacy']}" if category == "transactional" else text


# --------------------------------------------------------------------------- resources


def workspace_config(locales: list[str]) -> dict[str, Any]:
    return {
        "name": "Acme recruiting comms (benchmark corpus)",
        "brand": {
            "company_name": "Acme Corp",
            "postal_address": "Acme Corp, 1 Market St, San Francisco, CA 94105, USA",
            "privacy_url": "https://acme.example/privacy",
            "preference_center_url": "https://acme.example/candidate-preferences",
            "sender_name": "Acme Recruiting",
            "sender_email": "recruiting@acme.example",
            "reply_to": "talent@acme.example",
            "sms_sender": "Acme Recruiting",
            "logo_url": "https://acme.example/assets/logo.png",
        },
        "locales": locales,
        "default_locale": locales[0],
        "timezone": "America/New_York",
        "stages": STAGES,
        "paths": {
            "styleguide": "styleguide.yaml",
            "fields": "fields.yaml",
            "governance": "governance.yaml",
        },
        "clients": ["gmail", "outlook", "apple-mail"],
        "environments": {
            "staging": {"provider": "local", "settings": {"folder": "build/staging"}},
            "production": {
                "provider": "local",
                "settings": {"folder": "build/production"},
                "requires": "staging",
                "production": True,
            },
        },
        "lint": {"fail-on": "error"},
    }


def email_layout(locales: list[str]) -> dict[str, Any]:
    def doc(privacy: str, prefs: str) -> str:
        return textwrap.dedent(
            f"""\
            <mjml>
              <mj-head>
                <mj-title>{{{{ subject }}}}</mj-title>
                <mj-attributes>
                  <mj-all font-family="Helvetica, Arial, sans-serif" />
                  <mj-text font-size="16px" line-height="24px" color="#1f2937" />
                </mj-attributes>
                <mj-style inline="inline">
                  .footer a {{ color: #6b7280; text-decoration: underline; }}
                </mj-style>
              </mj-head>
              <mj-body background-color="#f3f4f6" width="600px">
                <mj-section background-color="#ffffff" padding="24px 0 0">
                  <mj-column>
                    <mj-image src="https://acme.example/assets/logo.png"
                      alt="{{{{ brand.company_name }}}}" width="120px" align="left" />
                  </mj-column>
                </mj-section>
                <mj-wrapper background-color="#ffffff" padding="0 0 16px">
                  {{{{ content }}}}
                </mj-wrapper>
                <mj-section padding="16px 0">
                  <mj-column>
                    <mj-text css-class="footer" font-size="12px" line-height="18px"
                      color="#6b7280">
                      {{{{ brand.company_name }}}} &middot;
                      {{{{ brand.postal_address }}}}<br />
                      <a href="{{{{ brand.privacy_url }}}}">
                        {privacy}
                      </a>
                      &middot;
                      <a href="{{{{ brand.preference_center_url }}}}">
                        {prefs}
                      </a>
                    </mj-text>
                  </mj-column>
                </mj-section>
              </mj-body>
            </mjml>
            """
        )

    footer_words = {
        "de": ("Datenschutzhinweis", "Benachrichtigungen verwalten"),
        "fr": ("Politique de confidentialité", "Gérer vos préférences"),
        "es": ("Aviso de privacidad", "Gestionar tus preferencias"),
    }
    result: dict[str, Any] = {
        "kind": "layout",
        "id": EMAIL_LAYOUT,
        "name": "Acme email layout",
        "description": "Logo header, the message, and the legal footer every email needs.",
        "channel": "email",
        "body": {"mjml": doc("Applicant privacy notice", "Manage your email preferences")},
    }
    localized = {
        loc: {"body": {"mjml": doc(*footer_words[loc[:2]])}}
        for loc in locales[1:]
        if loc[:2] in footer_words
    }
    if localized:
        result["locales"] = localized
    return result


def sms_layout() -> dict[str, Any]:
    return {
        "kind": "layout",
        "id": SMS_LAYOUT,
        "name": "Acme SMS layout",
        "description": "Sender id first, opt-out language last.",
        "channel": "sms",
        "body": {"text": "{{ brand.sms_sender }}: {{ content }} Reply STOP to opt out.\n"},
    }


def partials(locales: list[str]) -> dict[str, dict[str, Any]]:
    def signature(locale: str) -> str:
        t = lang_of(locale)
        return (
            '<mj-text font-size="16px" line-height="24px" color="#1f2937">\n'
            f"  {t['closing']}<br />\n"
            "  {% if recruiter.name %}\n"
            "  <strong>{{ recruiter.name }}</strong><br />\n"
            "  {% endif %}\n"
            f"  {t['team']}\n"
            "  {% if recruiter.email %}<br />\n"
            '  <a href="mailto:{{ recruiter.email }}">{{ recruiter.email }}</a>\n'
            "  {% endif %}\n"
            "</mj-text>\n"
        )

    details = (
        '<mj-text font-size="14px" line-height="22px" color="#374151">\n'
        "  <strong>When:</strong> {{ interview.start_at }}<br />\n"
        "  <strong>How long:</strong>\n"
        '  {{ interview.duration | default("45 minutes") }}<br />\n'
        "  {% if interview.location %}\n"
        "  <strong>Where:</strong> {{ interview.location }}<br />\n"
        "  {% endif %}\n"
        "  <strong>With:</strong> {{ interview.interviewer_name | default('the hiring team') }}\n"
        "</mj-text>\n"
    )
    sig: dict[str, Any] = {
        "kind": "partial",
        "id": "signature",
        "name": "Recruiter signature",
        "channel": "email",
        "body": {"mjml": signature(locales[0])},
    }
    if len(locales) > 1:
        sig["locales"] = {loc: {"body": {"mjml": signature(loc)}} for loc in locales[1:]}
    return {
        "signature": sig,
        "interview-details": {
            "kind": "partial",
            "id": "interview-details",
            "name": "Interview details box",
            "description": "When, how long, where and with whom.",
            "channel": "email",
            "body": {"mjml": details},
        },
    }


def fields_file() -> dict[str, Any]:
    entries = []
    for f in FIELDS:
        entry = {
            "name": f["name"],
            "type": f["type"],
            "description": f["description"],
            "pii": f.get("pii", "none"),
            "required": f.get("required", False),
            **({"stages": f["stages"]} if "stages" in f else {}),
            "sample": f["sample"],
            "tokens": {
                "greenhouse": f["name"].replace(".", "_").upper(),
                "lever": f["name"].replace(".", " ").replace("_", " ").capitalize(),
            },
        }
        entries.append(entry)
    return {"kind": "fields", "id": "acme-fields", "fields": entries}


def styleguide_file() -> dict[str, Any]:
    return {
        "kind": "styleguide",
        "id": "acme-style",
        "extends": ["inclusive", "recruiting", "plain-language"],
        "rules": [
            {
                "id": "no-rockstars",
                "type": "existence",
                "message": "Avoid '%s': describe the skills instead.",
                "level": "warning",
                "tokens": ["rockstar", "ninja", "guru"],
            },
            {
                "id": "candidate-not-applicant",
                "type": "substitution",
                "message": "Prefer '%s'.",
                "level": "info",
                "swap": {"applicant": "candidate"},
                "scope": ["subject", "body"],
            },
        ],
        "readability": {"rejection": 9, "interview": 10, "transactional": 10},
        "footer": {
            "email": ["company_name", "postal_address", "privacy_url"],
            "sms": ["sender_id", "stop_language"],
        },
    }


def governance_file() -> dict[str, Any]:
    return {
        "kind": "governance",
        "id": "acme-approvals",
        "roles": {
            "legal": {
                "description": "Employment law and privacy review.",
                "members": ["lee@acme.example"],
            },
            "recruiting-ops": {
                "description": "Owns the candidate journey.",
                "members": ["priya@acme.example", "tom@acme.example"],
            },
            "talent-brand": {"members": ["sasha@acme.example"]},
        },
        "approvals": [
            {"categories": ["offer", "rejection"], "require": ["legal", "recruiting-ops"]},
            {"channels": ["sms"], "require": ["legal"]},
            {"categories": ["nurture", "sourcing"], "require": ["talent-brand"]},
            {"require": ["recruiting-ops"]},
        ],
        "review": {"max_age_days": 180},
        "owners": {"templates/offer": ["@acme/legal"], "templates": ["@acme/recruiting-ops"]},
    }


@dataclass
class TemplateInfo:
    id: str
    path: str
    channel: str
    category: str
    variants: list[str] = field(default_factory=list)


def template_doc(
    n: int, rng: random.Random, locales: list[str]
) -> tuple[str, dict[str, Any], TemplateInfo]:
    categories = list(CATEGORIES)
    category = rng.choices(categories, weights=[CATEGORIES[c][0] for c in categories])[0]
    _, stages, slugs = CATEGORIES[category]
    slug, subject, preheader = slugs[rng.randrange(len(slugs))]
    channel = "sms" if rng.random() < 0.1 else "email"
    tid = f"{slug}-{n:04d}" if channel == "email" else f"sms-{slug}-{n:04d}"
    rel = f"templates/{category}/{n:04d}-{slug}{'-sms' if channel == 'sms' else ''}.yaml"
    doc: dict[str, Any] = {
        "kind": "template",
        "id": tid,
        "name": f"{slug.replace('-', ' ').capitalize()} #{n}"
        + (" (SMS)" if channel == "sms" else ""),
        "description": f"{category.capitalize()} message, sent at the {stages[0]} stage.",
        "channel": channel,
        "category": category,
        "stage": rng.choice(stages),
        "owner": rng.choice(OWNERS),
        "layout": EMAIL_LAYOUT if channel == "email" else SMS_LAYOUT,
        "tags": [category, channel, rng.choice(["automated", "manual", "evergreen"])],
    }
    info = TemplateInfo(tid, rel, channel, category)
    if channel == "sms":
        doc["body"] = {"text": sms_text(locales[0], category)}
        doc["sms"] = {"max_segments": 3}
        if len(locales) > 1:
            doc["locales"] = {
                loc: {"body": {"text": sms_text(loc, category)}} for loc in locales[1:]
            }
    else:
        plan = make_plan(rng, category)
        doc["subject"] = subject
        doc["preheader"] = preheader
        doc["body"] = {"mjml": mjml_body(plan, locales[0])}
        if len(locales) > 1:
            doc["locales"] = {
                loc: {
                    "subject": subject_for(loc, category, subject),
                    "preheader": preheader
                    if loc.startswith("en")
                    else lang_of(loc).get("preheader", EN["preheader"]),
                    "body": {"mjml": mjml_body(plan, loc)},
                }
                for loc in locales[1:]
            }
        if rng.random() < 0.15:
            alt = {
                "id": "personal-subject",
                "weight": 50,
                "subject": "{{ candidate.first_name }}, " + subject[0].lower() + subject[1:],
            }
            if len(locales) > 1:
                alt["locales"] = {
                    locales[1]: {
                        "subject": "{{ candidate.first_name }}: "
                        + subject_for(locales[1], category, subject)
                    }
                }
            doc["variants"] = [{"id": "control", "weight": 50}, alt]
            info.variants = ["control", "personal-subject"]
    doc["compliance"] = {
        "lawful_basis": LAWFUL_BASIS[category],
        "retention": "6 months after the hiring decision",
    }
    doc["review"] = {
        "last_reviewed": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "reviewer": rng.choice(REVIEWERS),
    }
    return rel, doc, info


SEQUENCE_KINDS = [
    # (name, category, trigger, exit_on)
    (
        "application-follow-up",
        "transactional",
        {"action": "application_submitted"},
        ["withdrew", "rejected", "hired", "do_not_contact"],
    ),
    (
        "interview-loop",
        "interview",
        {"event": "interview_scheduled"},
        ["interview_cancelled", "withdrew", "hired", "do_not_contact"],
    ),
    (
        "offer-journey",
        "offer",
        {"event": "offer_extended"},
        ["withdrew", "hired", "do_not_contact"],
    ),
    (
        "rejection-notice",
        "rejection",
        {"event": "rejected"},
        ["withdrew", "hired", "do_not_contact"],
    ),
    (
        "talent-nurture",
        "nurture",
        {"event": "stage_entered", "stage": "applied"},
        ["replied", "stage_changed", "withdrew", "do_not_contact"],
    ),
    (
        "sourcing-outreach",
        "sourcing",
        {"event": "job_posted"},
        ["replied", "withdrew", "hired", "do_not_contact"],
    ),
]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def sequence_doc(
    n: int, rng: random.Random, templates: list[TemplateInfo]
) -> tuple[str, dict[str, Any]]:
    name, category, trigger, exit_on = SEQUENCE_KINDS[n % len(SEQUENCE_KINDS)]
    emails = [t for t in templates if t.channel == "email" and t.category == category] or [
        t for t in templates if t.channel == "email"
    ]
    texts = [t for t in templates if t.channel == "sms" and t.category == category] or [
        t for t in templates if t.channel == "sms"
    ]
    sid = f"{name}-{n:03d}"
    first = rng.choice(emails) if emails else rng.choice(templates)
    steps: list[dict[str, Any]] = []
    if category == "rejection":
        # no instant rejections (Q006): the hiring team can still call or correct a mistake
        steps.append(
            {
                "id": "cool-off",
                "wait": "2 business days",
                "description": "Let the decision settle before anything goes out.",
            }
        )
    steps += [
        {"id": "first-message", "send": first.id, "channel": first.channel},
        {"id": "wait-for-reply", "wait": rng.choice(["2d", "3 business days", "48h"])},
        {
            "id": "check-reply",
            "branch": {"if": {"event": "replied"}, "then": "done"},
            "description": "Stop once the candidate has answered.",
        },
    ]
    if category == "interview":
        steps.append(
            {"id": "day-before", "wait_until": {"field": "interview.start_at", "offset": "-24h"}}
        )
    second = rng.choice(emails) if emails else first
    if second.variants:
        steps.append(
            {
                "id": "follow-up",
                "send": second.id,
                "channel": "email",
                "split": [{"variant": v, "weight": 50} for v in second.variants],
            }
        )
    else:
        steps.append({"id": "follow-up", "send": second.id, "channel": second.channel})
    if texts:
        sms = rng.choice(texts)
        steps += [
            {"id": "wait-before-sms", "wait": "1d"},
            {"id": "sms-nudge", "send": sms.id, "channel": "sms"},
        ]
    steps += [
        {
            "id": "alert-recruiter",
            "notify": {
                "to": "recruiter",
                "message": "No reply after the follow-up; consider a call.",
                "webhook_env": "RECRUITING_SLACK_WEBHOOK",
            },
        },
        {"id": "done", "stop": True},
    ]
    if category == "rejection":  # business hours only (Q007)
        windows = {
            "email": {"days": WEEKDAYS, "start": "09:00", "end": "17:00"},
            "sms": {"days": WEEKDAYS, "start": "09:00", "end": "17:00"},
        }
    else:
        windows = {
            "email": {"days": WEEKDAYS, "start": "08:00", "end": "18:00"},
            "sms": {"days": WEEKDAYS, "start": "09:00", "end": "19:00"},
        }
    doc: dict[str, Any] = {
        "kind": "sequence",
        "id": sid,
        "name": f"{name.replace('-', ' ').capitalize()} #{n}",
        "description": f"Automated {category} touchpoints.",
        "owner": rng.choice(OWNERS),
        "category": category,
        "trigger": trigger,
        "segments": [
            {
                "id": "priority-roles",
                "description": "Candidates for hard-to-fill roles.",
                "when": {"field": "job.location", "in": ["Berlin", "Remote"]},
                "min_gap": "1d",
            }
        ],
        "consent": {"email": category in ("nurture", "sourcing"), "sms": True},
        "send_windows": windows,
        "timezone_fallbacks": ["persona", "candidate.timezone", "workspace"],
        "holidays": ["2026-12-25", "2026-12-26", "2027-01-01"],
        "min_gap": "12h",
        "weekly_cap": 3,
        "exit_on": exit_on,
        "pause_on": ["offer"] if category != "offer" else ["hired"],
        "steps": steps,
    }
    return f"sequences/{n:03d}-{name}.yaml", doc


def persona_doc(n: int, rng: random.Random, locales: list[str]) -> tuple[str, dict[str, Any]]:
    locale = locales[n % len(locales)]
    first, last = NAMES[locale][rng.randrange(len(NAMES[locale]))]
    pid = f"persona-{n:03d}-{locale.lower()}"
    fields: dict[str, Any] = {
        "candidate.first_name": first,
        "candidate.last_name": last,
        "candidate.email": f"{first.lower()[:1]}.candidate{n}@example.com",
        "candidate.phone": f"+1555555{n % 10000:04d}",
        "job.title": rng.choice(["Backend Engineer", "Product Designer", "Account Executive"]),
        "job.location": rng.choice(["Berlin", "Remote", "New York", "Paris"]),
        "job.url": f"https://careers.acme.example/jobs/{100 + n}",
        "recruiter.name": "Priya Shah",
        "recruiter.email": "priya@acme.example",
        "interview.start_at": f"2026-03-{10 + n % 18:02d}T10:00:00+01:00",
        "interview.meeting_url": "https://meet.acme.example/abc-defg",
        "offer.start_date": "2026-05-01",
        "offer.deadline": "2026-04-15",
    }
    if rng.random() < 0.5:
        fields["interview.location"] = "1 Market St, 5th floor"
    doc = {
        "kind": "persona",
        "id": pid,
        "name": f"{first} {last}, {locale}",
        "description": "Sample candidate for previews and journey simulation.",
        "locale": locale,
        "timezone": TIMEZONES[locale],
        "consent": {"email": True, "sms": rng.random() < 0.7},
        "segment": rng.choice(["active", "passive", "campus"]),
        "fields": fields,
    }
    return f"personas/{pid}.yaml", doc


# --------------------------------------------------------------------------- mistakes


def _rename(doc: dict[str, Any], old: str, new: str) -> None:
    items = [(new if k == old else k, v) for k, v in doc.items()]
    doc.clear()
    doc.update(items)


def inject_template(doc: dict[str, Any], rng: random.Random, locales: list[str]) -> tuple[str, str]:
    """Apply one realistic mistake; return (mistake name, rule code it must produce)."""
    options = ["typo-key", "unknown-layout", "bad-category", "unknown-stage"]
    mjml = doc["body"].get("mjml", "")
    if '{% include "signature" %}' in mjml:
        options.append("unknown-partial")
    if "locales" in doc:
        options.append("unknown-locale")
    mistake = rng.choice(options)
    if mistake == "typo-key":
        old, new = ("preheader", "preheadr") if "preheader" in doc else ("owner", "ownr")
        _rename(doc, old, new)
        return mistake, "S102"
    if mistake == "unknown-layout":
        doc["layout"] = "acme-emial" if doc["channel"] == "email" else "acme-sm"
        return mistake, "R001"
    if mistake == "bad-category":
        doc["category"] = doc["category"] + "s"
        return mistake, "S104"
    if mistake == "unknown-stage":
        doc["stage"] = {"interview": "intervew", "offer": "offered"}.get(doc["stage"], "screen")
        return mistake, "R006"
    if mistake == "unknown-partial":
        doc["body"]["mjml"] = mjml.replace('"signature"', '"signatur"')
        return mistake, "R001"
    # unknown-locale: an override for a locale the workspace does not declare
    first = next(iter(doc["locales"]))
    wrong = {"de-DE": "de-AT", "fr-FR": "fr-CA", "es-ES": "es-MX"}.get(first, "en-AU")
    _rename(doc["locales"], first, wrong)
    return mistake, "R004"


def inject_sequence(doc: dict[str, Any], rng: random.Random) -> tuple[str, str]:
    mistake = rng.choice(["unknown-template", "bad-time"])
    if mistake == "unknown-template":
        step = next(s for s in doc["steps"] if "send" in s)
        cut = len(step["send"]) // 3  # drop a letter from the slug: a typo
        step["send"] = step["send"][:cut] + step["send"][cut + 1 :]
        return mistake, "R001"
    doc["send_windows"]["email"]["start"] = "8am"
    return mistake, "S104"


def inject_persona(doc: dict[str, Any], rng: random.Random) -> tuple[str, str]:
    fields = doc["fields"]
    _rename(fields, "candidate.first_name", "candidate.frist_name")
    return "unknown-field", "R005"


# --------------------------------------------------------------------------- driver


@dataclass
class Summary:
    out: str
    templates: int
    sms_templates: int
    sequences: int
    personas: int
    locales: list[str]
    files: int = 0
    bytes: int = 0
    template_files: list[str] = field(default_factory=list)
    injected: list[dict[str, str]] = field(default_factory=list)


def generate(
    out: Path,
    *,
    templates: int,
    locales: int,
    sequences: int | None = None,
    personas: int | None = None,
    seed: int = 0,
    bad_rate: float = 0.0,
    force: bool = False,
) -> Summary:
    if not 1 <= locales <= len(LOCALES):
        raise ValueError(f"--locales must be between 1 and {len(LOCALES)}")
    if templates < 1:
        raise ValueError("--templates must be at least 1")
    if not 0.0 <= bad_rate <= 1.0:
        raise ValueError("--bad-rate must be between 0 and 1")
    sequences = max(2, templates // 50) if sequences is None else sequences
    personas = 6 if personas is None else personas
    locs = LOCALES[:locales]
    _prepare(out, force)

    rng = random.Random(seed)
    bad = random.Random(f"bad-{seed}")  # independent stream: good content never depends on it
    files: dict[str, str] = {}
    summary = Summary(str(out), templates, 0, sequences, personas, locs)

    def maybe_bad(rel: str, doc: dict[str, Any], inject) -> None:
        if bad_rate and bad.random() < bad_rate:
            mistake, code = inject(doc)
            summary.injected.append({"path": rel, "mistake": mistake, "code": code})

    files["atscomms.yaml"] = dump("workspace", workspace_config(locs))
    files["layouts/acme-email.yaml"] = dump("layout", email_layout(locs))
    files["layouts/acme-sms.yaml"] = dump("layout", sms_layout())
    for pid, pdoc in partials(locs).items():
        files[f"partials/{pid}.yaml"] = dump("partial", pdoc)
    files["fields.yaml"] = dump("fields", fields_file())
    files["styleguide.yaml"] = dump("styleguide", styleguide_file())
    files["governance.yaml"] = dump("governance", governance_file())

    infos: list[TemplateInfo] = []
    for n in range(1, templates + 1):
        rel, doc, info = template_doc(n, rng, locs)
        infos.append(info)
        maybe_bad(rel, doc, lambda d: inject_template(d, bad, locs))
        files[rel] = dump("template", doc)
        summary.template_files.append(rel)
        summary.sms_templates += info.channel == "sms"
    for n in range(1, sequences + 1):
        rel, doc = sequence_doc(n, rng, infos)
        maybe_bad(rel, doc, lambda d: inject_sequence(d, bad))
        files[rel] = dump("sequence", doc)
    for n in range(1, personas + 1):
        rel, doc = persona_doc(n, rng, locs)
        maybe_bad(rel, doc, lambda d: inject_persona(d, bad))
        files[rel] = dump("persona", doc)
    files[MARKER] = "generated by bench/corpus.py; safe to delete\n"

    for rel, text in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        target.write_bytes(data)
        summary.bytes += len(data)
    summary.files = len(files) - 1
    return summary


def _prepare(out: Path, force: bool) -> None:
    if not out.exists():
        out.mkdir(parents=True)
        return
    if not any(out.iterdir()):
        return
    if force and (out / MARKER).exists():
        for child in out.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        return
    hint = " (--force only clears folders made by this script)" if force else " (use --force)"
    raise FileExistsError(f"{out} is not empty{hint}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the workspace into")
    parser.add_argument("--templates", type=int, default=200, help="number of templates")
    parser.add_argument(
        "--locales", type=int, default=2, help=f"number of locales (1-{len(LOCALES)})"
    )
    parser.add_argument(
        "--sequences", type=int, default=None, help="number of sequences (default templates/50)"
    )
    parser.add_argument("--personas", type=int, default=None, help="number of personas (6)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--bad-rate",
        type=float,
        default=0.0,
        help="fraction of templates/sequences/personas with one injected mistake",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace a corpus previously generated here"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON summary")
    args = parser.parse_args(argv)
    try:
        summary = generate(
            args.out,
            templates=args.templates,
            locales=args.locales,
            sequences=args.sequences,
            personas=args.personas,
            seed=args.seed,
            bad_rate=args.bad_rate,
            force=args.force,
        )
    except (ValueError, FileExistsError) as exc:
        print(f"corpus.py: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary.__dict__, indent=2))
    else:
        print(
            f"wrote {summary.files} files ({summary.bytes / 1e6:.1f} MB) to {summary.out}: "
            f"{summary.templates} templates ({summary.sms_templates} SMS) x "
            f"{len(summary.locales)} locales, {summary.sequences} sequences, "
            f"{summary.personas} personas, {len(summary.injected)} injected mistakes"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
